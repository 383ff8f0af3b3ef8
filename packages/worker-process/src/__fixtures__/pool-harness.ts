// Shared plumbing of the pool test suites: a Redis server, a scratch directory the tasks write to,
// and small waiting helpers (the assertions are on outcomes, never on timings).
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startRedisServer, type RedisServer } from "@alsek/test-support";

export interface Harness {
  redis: RedisServer;
  dir: string;
}

/** Start Redis and point the fixture tasks at it (set before the fixture module is imported). */
export async function startHarness(namespace: string): Promise<Harness> {
  const redis = await startRedisServer();
  const dir = mkdtempSync(join(tmpdir(), "alsek-pool-"));
  process.env.ALSEK_TEST_REDIS_URL = redis.url;
  process.env.ALSEK_TEST_NAMESPACE = namespace;
  process.env.ALSEK_TEST_DIR = dir;
  return { redis, dir };
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
