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
 * The parent's Node flags minus those that must not be shared (a debugger port would clash), so
 * children load the same `--import`/`--conditions` hooks as their parent.
 */
export function childExecArgv(): string[] {
  return process.execArgv.filter((flag) => !/^--inspect(-brk|-port|-publish-uid)?(=|$)/.test(flag));
}

/** Environment variable set to `"true"` in every pool worker process. */
export const WORKER_POOL_ENV = "ALSEK_WORKER_POOL";
