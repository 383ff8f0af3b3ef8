// Spawns `alsek thread-pool` / `process-pool` over task modules of every format (.ts, .mts, .cts,
// .js, .mjs, .cjs) in a CommonJS package (no "type" in its package.json: Node's default) and an
// ESM one, loaded by folder, dotted path and file.
import { Broker, task, type Task } from "@alsek/core";
import { RedisBackend } from "@alsek/redis";
import type { RedisServer } from "@alsek/test-support";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { lines, scratch, startPoolHarness } from "./__fixtures__/pool-harness.js";
import { requireBuiltBinary, startAlsek, until } from "./__fixtures__/spawn-alsek.js";

const PACKAGES = ["cjs", "esm"] as const;
const EXTENSIONS = ["ts", "mts", "cts", "js", "mjs", "cjs"] as const;
const MECHANISMS = ["thread", "process"] as const;

let redis: RedisServer;
let backend: RedisBackend;
/** Producer-side twins of the fixture tasks (same name and queue), so this process never imports the fixtures. */
const twins = new Map<string, Task>();

beforeAll(async () => {
  requireBuiltBinary();
  redis = await startPoolHarness("cli-formats");
  backend = new RedisBackend(redis.url, { namespace: "cli-formats" });
  const broker = new Broker(backend);
  for (const pkg of PACKAGES) {
    for (const extension of EXTENSIONS) {
      for (const mechanism of MECHANISMS) {
        const name = `${pkg}_${extension}_${mechanism}`;
        twins.set(name, task(broker, { name, queue: `${pkg}_${mechanism}`, mechanism }, () => {}));
      }
    }
  }
});

afterAll(async () => {
  await backend?.close();
  await redis?.stop();
});

beforeEach(async () => {
  await backend.clear();
});

async function generate(name: string): Promise<void> {
  await twins.get(name)!.generate();
}

/** Run `alsek <mechanism>-pool <target>` until `expected` lines were recorded, then stop it with SIGTERM. */
async function runPool(mechanism: string, target: string, expected: readonly string[]): Promise<string[]> {
  const { dir, env } = scratch();
  const pool = startAlsek([`${mechanism}-pool`, target, "--n_processes", "1"], env);
  try {
    await until(`${expected.length} tasks of ${target} ran (stderr: ${pool.stderr().slice(-2_000)})`, () => {
      if (pool.child.exitCode !== null) throw new Error(`alsek exited early: ${pool.stderr()}`);
      return lines(dir, "done.txt").length >= expected.length;
    });
    pool.child.kill("SIGTERM");
    expect((await pool.exited).code).toBe(0);
  } finally {
    pool.child.kill("SIGKILL");
  }
  return lines(dir, "done.txt").sort();
}

describe.each(PACKAGES)("task modules of every format in a %s package", (pkg) => {
  it.each(MECHANISMS)("load and run in a %s pool pointed at the package folder", async (mechanism) => {
    for (const extension of EXTENSIONS) await generate(`${pkg}_${extension}_${mechanism}`);
    const done = await runPool(mechanism, `${pkg}_project`, EXTENSIONS.map((e) => `${pkg}:${e}:${mechanism}`));
    expect(done).toEqual(EXTENSIONS.map((extension) => `${pkg}:${extension}:${mechanism}`).sort());
  });

  it("load by dotted path and by file name", async () => {
    await generate(`${pkg}_ts_thread`);
    expect(await runPool("thread", `${pkg}_project.tasks_ts`, [`${pkg}:ts:thread`])).toEqual([`${pkg}:ts:thread`]);
    await generate(`${pkg}_cts_process`);
    expect(await runPool("process", `${pkg}_project/tasks_cts.cts`, [`${pkg}:cts:process`])).toEqual([`${pkg}:cts:process`]);
  });
});
