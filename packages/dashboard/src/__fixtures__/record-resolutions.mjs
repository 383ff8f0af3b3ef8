// Loaded with `node --import`: records every module URL the process resolves into the file named
// by ALSEK_RESOLUTION_LOG, so a test can tell which packages an import pulls in.
import { register } from "node:module";

register(
  "data:text/javascript," +
    encodeURIComponent(`
      import { appendFileSync } from "node:fs";
      export async function resolve(specifier, context, next) {
        const resolved = await next(specifier, context);
        appendFileSync(process.env.ALSEK_RESOLUTION_LOG, resolved.url + "\\n");
        return resolved;
      }
    `),
);
