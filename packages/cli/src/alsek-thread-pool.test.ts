// Spawns `alsek thread-pool` against a real Redis and a TypeScript fixture project.
import type { RedisServer } from "@alsek/test-support";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PASSWORD, lines, scratch, startPoolHarness } from "./__fixtures__/pool-harness.js";
import { requireBuiltBinary, startAlsek, until } from "./__fixtures__/spawn-alsek.js";

let redis: RedisServer;
let project: typeof import("./__fixtures__/project/my_tasks.js");
let singletons: typeof import("./__fixtures__/project/singletons.js");

beforeAll(async () => {
  requireBuiltBinary();
  redis = await startPoolHarness("cli-thread");
  project = await import("./__fixtures__/project/my_tasks.js");
  singletons = await import("./__fixtures__/project/singletons.js");
});

afterAll(async () => {
  await singletons?.backend.close();
  await redis?.stop();
});

beforeEach(async () => {
  await singletons.backend.clear();
});

describe("alsek thread-pool", () => {
  it("logs to the logger the task module gives its broker, at --log-level, each message's record with queue, task and uuid", async () => {
    const { dir, env } = scratch();
    const { logged } = await import("./__fixtures__/logger_project/logged_tasks.js");
    const pool = startAlsek(["thread-pool", "logger_project", "--n_threads", "1", "--n_processes", "1", "--log-level", "debug"], env);
    const records = () => lines(dir, "alsek-log.jsonl").map((line) => JSON.parse(line) as Record<string, unknown>);
    try {
      const message = await logged.generate({ args: ["abc"] });
      await until("the completion was logged", () => records().some((r) => r.msg === "Message completed." && r.uuid === message.uuid));
      pool.child.kill("SIGTERM");
      expect((await pool.exited).code).toBe(0);
      expect(records()).toContainEqual({ level: "debug", msg: "Message completed.", logger: "alsek.cli", queue: "logged", task: "logged", uuid: message.uuid });
      expect(records()).toContainEqual(expect.objectContaining({ level: "info", logger: "alsek.pool.thread", msg: expect.stringMatching(/^Monitoring 1 task/) }));
      expect(records()).toContainEqual(expect.objectContaining({ level: "info", msg: "Worker pool stopped." }));
    } finally {
      pool.child.kill("SIGKILL");
    }
    // Only the loading lines, written before the task module (and so its logger) was imported.
    const onStderr = pool.stderr().split("\n").filter((line) => line.includes('"logger":"alsek.'));
    expect(onStderr.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(["Importing task modules.", "Found tasks."]);
  });

  it("processes messages of a TypeScript project folder and drains on SIGTERM", async () => {
    const { dir, env } = scratch();
    const pool = startAlsek(["thread-pool", "project", "--n_threads", "2", "--n_processes", "1", "--log-level", "debug"], env);
    try {
      await project.recordA.generate({ args: ["arg-secret-1"] });
      await project.recordB.generate({ args: ["arg-secret-2"] });
      await until("both messages processed", () => lines(dir, "done.txt").length === 2);
      expect(lines(dir, "done.txt").sort()).toEqual(["queue_a:arg-secret-1", "queue_b:arg-secret-2"]);

      await project.slow.generate({ args: ["s1"] });
      await until("the slow task started", () => lines(dir, "slow.txt").includes("start:s1"));
      pool.child.kill("SIGTERM");
      const { code } = await pool.exited;
      expect(code).toBe(0);
      // Drained: the running task finished before the pool exited.
      expect(lines(dir, "slow.txt")).toEqual(["start:s1", "end:s1"]);
      expect(await singletons.backend.countQueue("slow")).toMatchObject({ ready: 0, active: 0 });
    } finally {
      pool.child.kill("SIGKILL");
    }
    const logs = pool.stderr();
    const start = logs.split("\n").find((line) => line.includes("Monitoring"));
    expect(JSON.parse(start ?? "{}")).toMatchObject({
      level: "info",
      tasks: ["hang", "recordA", "recordB", "recordC", "slow"],
      queues: ["queue_a", "queue_b", "queue_c", "slow"],
      capacity: 2,
    });
    expect(logs.match(/"msg":"Message completed\."/g)).toHaveLength(3);
    expect(logs).not.toContain("arg-secret");
    expect(logs).not.toContain(PASSWORD);
  });

  it("runs the tasks in its own event loop with --in_loop, and refuses thread options beside it", async () => {
    const { dir, env } = scratch();
    const pool = startAlsek(["thread-pool", "project", "--in_loop", "--concurrency", "3", "--abort_grace", "200"], env);
    try {
      await project.recordA.generate({ args: ["in-loop-1"] });
      await project.recordB.generate({ args: ["in-loop-2"] });
      await until("both messages processed", () => lines(dir, "done.txt").length === 2);
      pool.child.kill("SIGTERM");
      expect((await pool.exited).code).toBe(0);
    } finally {
      pool.child.kill("SIGKILL");
    }
    const start = pool.stderr().split("\n").find((line) => line.includes("Monitoring"));
    expect(JSON.parse(start ?? "{}")).toMatchObject({ capacity: 3 });
    const refused = startAlsek(["thread-pool", "project", "--in_loop", "--n_threads", "2"], env);
    expect((await refused.exited).code).toBe(1);
    expect(refused.stderr()).toContain(
      "--in_loop runs tasks in the pool's own event loop, without threads: --n_threads do not apply (use --concurrency).",
    );
  });

  it("consumes only the queues of -qu, in the order given (in a forked group, without prefetch)", async () => {
    for (const value of ["1", "2", "3"]) {
      await project.recordA.generate({ args: [value] });
      await project.recordB.generate({ args: [value] });
    }
    await project.recordC.generate({ args: ["1"] });
    await project.recordC.generate({ args: ["2"] });
    const { dir, env } = scratch();
    const pool = startAlsek(
      ["thread-pool", "project.my_tasks", "-qu", "queue_b,queue_a", "--n_threads", "1", "--n_processes", "1", "--no-in_process", "--prefetch", "0"],
      env,
    );
    try {
      await until("six messages processed", () => lines(dir, "done.txt").length >= 6);
      pool.child.kill("SIGTERM");
      expect((await pool.exited).code).toBe(0);
    } finally {
      pool.child.kill("SIGKILL");
    }
    expect(lines(dir, "done.txt").map((line) => line.split(":")[0])).toEqual([
      "queue_b",
      "queue_b",
      "queue_b",
      "queue_a",
      "queue_a",
      "queue_a",
    ]);
    expect(await singletons.backend.countQueue("queue_c")).toMatchObject({ ready: 2, active: 0 });
    expect(pool.stderr()).toContain('"queues":["queue_b","queue_a"]');
  });

  it("exits at once on a second SIGTERM while draining", async () => {
    const { dir, env } = scratch();
    const pool = startAlsek(["thread-pool", "project/my_tasks.ts", "--n_threads", "1", "--n_processes", "1", "--stop_grace", "60000"], env);
    try {
      await project.hang.generate({ args: ["h1"] });
      await until("the hanging task started", () => lines(dir, "slow.txt").includes("start:h1"));
      pool.child.kill("SIGTERM");
      await until("the pool is draining", () => pool.stderr().includes("Stop signal received"));
      pool.child.kill("SIGTERM");
      const { code } = await pool.exited;
      expect(code).not.toBe(0);
    } finally {
      pool.child.kill("SIGKILL");
    }
    expect(lines(dir, "slow.txt")).toEqual(["start:h1"]);
  });
});
