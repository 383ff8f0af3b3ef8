import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Path of a compiled worker entry file (`fileName`, e.g. `"group-entry.js"`) that sits next to the
 * module at `moduleUrl` in `dist/`. Workers and children do not go through a bundler or a
 * TypeScript loader, so when the calling module runs from `src/` (tests, the `@alsek/source`
 * condition) the compiled twin in `../dist/` is used instead.
 */
export function compiledEntryPath(moduleUrl: string, fileName: string): string {
  const beside = fileURLToPath(new URL(`./${fileName}`, moduleUrl));
  if (existsSync(beside)) return beside;
  const built = fileURLToPath(new URL(`../dist/${fileName}`, moduleUrl));
  if (existsSync(built)) return built;
  throw new Error(
    `Worker entry ${fileName} not found beside ${fileURLToPath(moduleUrl)} nor in ../dist: ` +
      "build the package first (pnpm turbo run build).",
  );
}

/**
 * The parent's Node flags for a child, as BullMQ's sandbox does, minus those that must not be
 * shared: a debugger port would clash, and without a TypeScript loader in the flags the
 * `@alsek/source` condition (tests run from `src/`) would make the child import `.ts` files.
 */
export function childExecArgv(execArgv: readonly string[] = process.execArgv): string[] {
  const hasLoader = execArgv.some(
    (flag, index) =>
      flag === "--experimental-strip-types" ||
      /^--(import|loader|experimental-loader)=.*(^|[=\\/])(tsx|ts-node)([\\/]|$)/.test(flag) ||
      (/^--(import|loader|experimental-loader)$/.test(flag) &&
        /(^|[\\/])(tsx|ts-node)([\\/]|$)/.test(execArgv[index + 1] ?? "")),
  );
  const kept: string[] = [];
  for (let index = 0; index < execArgv.length; index++) {
    const flag = execArgv[index]!;
    if (/^--inspect(-brk|-port|-publish-uid)?(=|$)/.test(flag)) continue;
    if (!hasLoader && (flag === "--conditions" || flag === "-C") && execArgv[index + 1] === "@alsek/source") {
      index++;
      continue;
    }
    if (!hasLoader && /^(--conditions|-C)=@alsek\/source$/.test(flag)) continue;
    kept.push(flag);
  }
  return kept;
}

/** Environment variable set to `"true"` in every pool worker process. */
export const WORKER_POOL_ENV = "ALSEK_WORKER_POOL";
