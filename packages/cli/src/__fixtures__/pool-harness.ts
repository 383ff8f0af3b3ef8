// Redis and a scratch directory for the tests that run pools through the binary. The environment
// is set before the fixture project is imported, so producer (this process) and pool (the binary)
// share one Redis and namespace.
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startRedisServer, type RedisServer } from "@alsek/test-support";

export const PASSWORD = "cli-pw-7f3a91";

/** Start a Redis that requires a password, and point the fixture project at it. */
export async function startPoolHarness(namespace: string): Promise<RedisServer> {
  const redis = await startRedisServer({ aclUser: { name: "alsek", password: PASSWORD } });
  process.env.ALSEK_CLI_TEST_REDIS_URL = redis.url;
  process.env.ALSEK_CLI_TEST_NAMESPACE = namespace;
  return redis;
}

/** A fresh directory for the tasks' records; returns the env the binary needs. */
export function scratch(): { dir: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), "alsek-cli-"));
  return {
    dir,
    env: {
      ALSEK_CLI_TEST_DIR: dir,
      ALSEK_CLI_TEST_REDIS_URL: process.env.ALSEK_CLI_TEST_REDIS_URL ?? "",
      ALSEK_CLI_TEST_NAMESPACE: process.env.ALSEK_CLI_TEST_NAMESPACE ?? "",
    },
  };
}

/** Lines a task appended to `file` in `dir` (none when absent). */
export function lines(dir: string, file: string): string[] {
  const path = join(dir, file);
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8").split("\n").filter((line) => line !== "");
}
