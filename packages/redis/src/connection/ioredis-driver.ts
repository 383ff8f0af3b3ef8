import { createRequire } from "node:module";
import { BackendError } from "@alsek/core";
import type { Cluster, Redis } from "ioredis";

/** What the backend uses of the ioredis module. */
export interface Ioredis {
  Redis: typeof Redis;
  Cluster: typeof Cluster;
}

let driver: Ioredis | null = null;
let loading: Promise<Ioredis> | null = null;

// ioredis is loaded on the first command rather than on import. A task module constructs its
// backend at import, and every worker thread and child process imports the task module: most of
// them never send a command, and ioredis is about 12 MiB of a child process's RSS (measured here:
// a process importing a task module, 65 MiB → 53 MiB) and ~3 MiB of a worker thread's.

/**
 * Loads ioredis with a plain dynamic `import()`, which bundlers (esbuild, Rollup, webpack) follow
 * and keep lazy; the backend awaits it before its first command.
 */
export function loadIoredis(): Promise<Ioredis> {
  loading ??= import("ioredis").then((module: Ioredis) => (driver ??= module));
  return loading;
}

/** Whether ioredis is loaded (so a client can be created synchronously). */
export function ioredisLoaded(): boolean {
  return driver !== null;
}

/**
 * ioredis, now. Every command of the backend awaits {@link loadIoredis} first; only a synchronous
 * read before any command (`backend.client`) gets here with nothing loaded, and then ioredis is
 * required from where this package is installed.
 */
export function ioredisNow(): Ioredis {
  if (driver !== null) return driver;
  try {
    driver = createRequire(import.meta.url)("ioredis") as Ioredis;
  } catch (error) {
    throw new BackendError(
      "ioredis is not loaded yet and cannot be required from here (a bundle without node_modules?): " +
        "await a command of the backend (for example `await backend.getValue('x')`) before reading `backend.client`.",
      { cause: error },
    );
  }
  return driver;
}
