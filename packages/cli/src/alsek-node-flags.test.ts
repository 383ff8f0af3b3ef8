// Spawns `node <flags> alsek thread-pool|process-pool` with Node flags worker threads refuse in
// their execArgv (heap sizes, --expose-gc, --stack-size), with and without --inspect.
import type { RedisServer } from "@alsek/test-support";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { lines, scratch, startPoolHarness } from "./__fixtures__/pool-harness.js";
import { requireBuiltBinary, startAlsek, until } from "./__fixtures__/spawn-alsek.js";

let redis: RedisServer;
let flagTasks: typeof import("./__fixtures__/node_flags/flag_tasks.js");
let singletons: typeof import("./__fixtures__/project/singletons.js");

beforeAll(async () => {
  requireBuiltBinary();
  redis = await startPoolHarness("cli-node-flags");
  flagTasks = await import("./__fixtures__/node_flags/flag_tasks.js");
  singletons = await import("./__fixtures__/project/singletons.js");
});

afterAll(async () => {
  await singletons?.backend.close();
  await redis?.stop();
});

beforeEach(async () => {
  await singletons.backend.clear();
});

const HEAP_FLAGS = ["--max-old-space-size=512", "--max-semi-space-size=8", "--stack-size=2000", "--expose-gc"];

async function runWithFlags(mechanism: "thread" | "process", nodeFlags: readonly string[], extra: readonly string[] = []): Promise<string[]> {
  const { dir, env } = scratch();
  await (mechanism === "thread" ? flagTasks.threadFlags : flagTasks.processFlags).generate();
  const pool = startAlsek([`${mechanism}-pool`, "node_flags/flag_tasks.ts", "--n_processes", "1", ...extra], env, nodeFlags);
  try {
    await until(`the ${mechanism} task ran`, () => {
      if (pool.child.exitCode !== null) throw new Error(`alsek exited early: ${pool.stderr()}`);
      return lines(dir, "done.txt").length > 0;
    });
    pool.child.kill("SIGTERM");
    expect((await pool.exited).code).toBe(0);
  } finally {
    pool.child.kill("SIGKILL");
  }
  expect(pool.stderr()).not.toContain("ERR_WORKER_INVALID_EXEC_ARGV");
  return lines(dir, "done.txt");
}

describe("alsek under Node flags that worker threads refuse", () => {
  it("runs thread tasks in the pool's own process, with the flags in effect in the threads", async () => {
    expect(await runWithFlags("thread", HEAP_FLAGS)).toEqual(["thread:gc=function:small-heap=true"]);
  });

  it("runs thread tasks with --inspect too (the threads then get only the flags they accept)", async () => {
    expect(await runWithFlags("thread", ["--inspect=127.0.0.1:0", ...HEAP_FLAGS])).toEqual(["thread:gc=function:small-heap=true"]);
  });

  it("runs thread tasks in a forked process group", async () => {
    expect(await runWithFlags("thread", HEAP_FLAGS, ["--no-in_process"])).toEqual(["thread:gc=function:small-heap=true"]);
  });

  it("passes the flags to process-pool children", async () => {
    expect(await runWithFlags("process", ["--inspect=127.0.0.1:0", ...HEAP_FLAGS])).toEqual(["process:gc=function:small-heap=true"]);
  });
});
