// Spawns `alsek process-pool` and `alsek info` against a real Redis.
import type { RedisServer } from "@alsek/test-support";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PASSWORD, lines, scratch, startPoolHarness } from "./__fixtures__/pool-harness.js";
import { requireBuiltBinary, runAlsek, startAlsek, until } from "./__fixtures__/spawn-alsek.js";

let redis: RedisServer;
let project: typeof import("./__fixtures__/project/my_tasks.js");
let processTasks: typeof import("./__fixtures__/project/nested/process_tasks.js");
let singletons: typeof import("./__fixtures__/project/singletons.js");

beforeAll(async () => {
  requireBuiltBinary();
  redis = await startPoolHarness("cli-process");
  project = await import("./__fixtures__/project/my_tasks.js");
  processTasks = await import("./__fixtures__/project/nested/process_tasks.js");
  singletons = await import("./__fixtures__/project/singletons.js");
});

afterAll(async () => {
  await singletons?.backend.close();
  await redis?.stop();
});

beforeEach(async () => {
  await singletons.backend.clear();
});

describe("alsek process-pool", () => {
  it("runs the process tasks of a dotted module path in their own processes and stops on SIGTERM", async () => {
    const { dir, env } = scratch();
    const pool = startAlsek(["process-pool", "project.nested.process_tasks", "--n-processes", "2", "--prune-interval", "50"], env);
    try {
      await processTasks.processRecord.generate({ args: ["p1"] });
      await processTasks.processRecord.generate({ args: ["p2"] });
      await until("both messages processed", () => lines(dir, "done.txt").length === 2);
      pool.child.kill("SIGTERM");
      expect((await pool.exited).code).toBe(0);
    } finally {
      pool.child.kill("SIGKILL");
    }
    const done = lines(dir, "done.txt").map((line) => line.split(":"));
    expect(done.map(([, value]) => value).sort()).toEqual(["p1", "p2"]);
    for (const [, , pid] of done) expect(Number(pid)).not.toBe(pool.child.pid);
    const start = pool.stderr().split("\n").find((line) => line.includes("Monitoring"));
    expect(JSON.parse(start ?? "{}")).toMatchObject({ tasks: ["processRecord"], queues: ["proc"], capacity: 2 });
  });
});

const NO_FLOW_CONTROL = { paused: false, rateLimit: null, taskRateLimits: {}, schedules: [] };

describe("alsek info", () => {
  it("prints the counts of ready, delayed, running and dead messages per queue", async () => {
    await project.recordA.generate({ args: ["1"] });
    await project.recordA.generate({ args: ["2"] });
    await project.recordB.generate({ args: ["1"], delay: 3_600_000 });
    const message = await project.recordC.generate({ args: ["1"] });
    await singletons.broker.fail(message);

    const json = await runAlsek(["info", "project", "--json"], scratch().env);
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.stdout) as { queue: string }[];
    expect(rows).toEqual([
      { namespace: "cli-process", queue: "proc", ready: 0, delayed: 0, running: 0, dead: 0, ...NO_FLOW_CONTROL },
      { namespace: "cli-process", queue: "queue_a", ready: 2, delayed: 0, running: 0, dead: 0, ...NO_FLOW_CONTROL },
      { namespace: "cli-process", queue: "queue_b", ready: 0, delayed: 1, running: 0, dead: 0, ...NO_FLOW_CONTROL },
      { namespace: "cli-process", queue: "queue_c", ready: 0, delayed: 0, running: 0, dead: 1, ...NO_FLOW_CONTROL },
      { namespace: "cli-process", queue: "slow", ready: 0, delayed: 0, running: 0, dead: 0, ...NO_FLOW_CONTROL },
    ]);

    const table = await runAlsek(["info", "project.my_tasks", "-qu", "queue_b,queue_a"], scratch().env);
    expect(table.code).toBe(0);
    expect(table.stdout.split("\n")).toEqual([
      "queue    ready  delayed  running  dead",
      "queue_b      0        1        0     0",
      "queue_a      2        0        0     0",
      "",
    ]);
    expect(table.stdout + table.stderr).not.toContain(PASSWORD);
  });
});
