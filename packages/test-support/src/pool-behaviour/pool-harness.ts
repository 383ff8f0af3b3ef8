// Plumbing of the pool behaviour suite: the storage of its backend fixture, a scratch directory the
// fixture tasks write to, and small waiting helpers (the assertions are on outcomes, never on timings).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Mechanism } from "@alsek/core";
import type { PoolBackendFixture } from "./pool-backend-fixture.js";

/** Where the fixture tasks of one test file store and write. */
export interface PoolHarness {
  /** Scratch directory the tasks append their notes to and leave their files in. */
  readonly dir: string;
  /** Empty the scratch directory (between tests). */
  wipe(): void;
  /** Stop the storage and delete the scratch directory. */
  stop(): Promise<void>;
}

/**
 * Start the backend fixture's storage and point the fixture tasks at it. The settings travel in
 * environment variables, set here before the fixture module is imported, so the pools' threads and
 * child processes, which import that module again, inherit them.
 */
export async function startPoolHarness(backend: PoolBackendFixture, namespace: string, mechanism: Mechanism): Promise<PoolHarness> {
  const storage = await backend.start();
  const dir = mkdtempSync(join(tmpdir(), "alsek-pool-"));
  Object.assign(process.env, storage.env);
  process.env.ALSEK_TEST_BACKEND_MODULE = backend.moduleUrl;
  process.env.ALSEK_TEST_NAMESPACE = namespace;
  process.env.ALSEK_TEST_DIR = dir;
  process.env.ALSEK_TEST_MECHANISM = mechanism;
  return {
    dir,
    wipe: () => {
      for (const file of readdirSync(dir)) rmSync(join(dir, file), { recursive: true, force: true });
    },
    stop: async () => {
      await storage.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Lines of a file the tasks append to (empty when absent). */
export function lines(dir: string, file: string): string[] {
  const path = join(dir, file);
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8").split("\n").filter((line) => line !== "");
}

/** Poll `condition` until it holds; fails with `what` after `timeoutMs`. */
export async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
