import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

/**
 * Import the task module at `moduleUrl` (a `file://` URL) and return its namespace.
 *
 * A `.cts` module is `require`d instead of imported: on Node 20, `import()` of a `.cts` that tsx
 * compiles hands the CommonJS source to the ES loader, whose `require` cannot load an ES module
 * such as `@alsek/core` ("request for './errors/index.js' is not in cache"). Through `require`,
 * tsx's CommonJS hook compiles it and Node's `require(esm)` loads the rest. Its `module.exports`
 * is then returned as an import would: as `default` beside its own names.
 */
export async function importTaskModule(moduleUrl: string): Promise<Record<string, unknown>> {
  if (!new URL(moduleUrl).pathname.endsWith(".cts")) return (await import(moduleUrl)) as Record<string, unknown>;
  const moduleExports = require(fileURLToPath(moduleUrl)) as unknown;
  if (typeof moduleExports !== "object" || moduleExports === null) return { default: moduleExports };
  return { ...(moduleExports as Record<string, unknown>), default: moduleExports };
}
