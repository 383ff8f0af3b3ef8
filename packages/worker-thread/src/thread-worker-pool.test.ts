import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  Broker,
  Message,
  MultipleBrokersError,
  NoTasksFoundError,
  task,
  TaskNameCollisionError,
  TaskStatus,
  ValidationError,
} from "@alsek/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { lines, startHarness, until, type Harness } from "./__fixtures__/pool-harness.js";
import type * as Fixtures from "./__fixtures__/tasks.js";
import { ThreadWorkerPool, type ThreadWorkerPoolOptions } from "./index.js";

let harness: Harness;
let tasks: typeof Fixtures;
let pool: ThreadWorkerPool | null = null;
const packageDir = fileURLToPath(new URL("..", import.meta.url));

beforeAll(async () => {
  harness = await startHarness("thread-pool-test");
  tasks = await import("./__fixtures__/tasks.js");
});

afterEach(async () => {
  await pool?.stop();
  pool = null;
  await tasks.backend.clear();
  for (const file of readdirSync(harness.dir)) rmSync(join(harness.dir, file), { recursive: true, force: true });
});

afterAll(async () => {
  await tasks?.backend.close();
  await harness?.redis.stop();
});

function start(options: Partial<ThreadWorkerPoolOptions> = {}): ThreadWorkerPool {
  pool = new ThreadWorkerPool({
    tasks: [
      tasks.add, tasks.track, tasks.spin, tasks.sleepThenWrite, tasks.crash, tasks.add1, tasks.add1Previous,
      tasks.printResult, tasks.customValue, tasks.customThrow, tasks.leaveTimer,
    ],
    queues: ["alsek_queue"],
    nThreads: 2,
    nProcesses: 1,
    handleSignals: false,
    ...options,
  });
  void pool.run();
  return pool;
}

async function deadLetter(message: Message) {
  return tasks.backend.getDeadLetter({ queue: message.queue, uuid: message.uuid });
}

async function result(message: Message): Promise<unknown> {
  const [stored] = await tasks.backend.getResults([{ queue: message.queue, uuid: message.uuid }], { keep: true });
  return stored?.value;
}

function runPoolProcess(leaseMs: number, stopGraceMs: number): { child: ChildProcess; started: Promise<void> } {
  const child = spawn(process.execPath, ["--import", "tsx", "src/__fixtures__/run-pool.ts", String(leaseMs), String(stopGraceMs)], {
    cwd: packageDir,
    env: { ...process.env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const started = new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("started")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`pool process exited early (${code})`)));
  });
  return { child, started };
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

describe("ThreadWorkerPool construction", () => {
  it("refuses an empty task list and tasks of another mechanism", () => {
    expect(() => new ThreadWorkerPool({ tasks: [] })).toThrow(new NoTasksFoundError("No tasks found"));
    const processTask = task(tasks.broker, { name: "processOnlyTask" }, function processOnlyTask() {});
    expect(() => new ThreadWorkerPool({ tasks: [processTask] })).toThrow(
      new NoTasksFoundError("No tasks found with mechanism 'thread'."),
    );
  });

  it("refuses tasks bound to different brokers and two tasks with one name", () => {
    const other = task(new Broker(tasks.backend), { name: "otherBrokerTask", mechanism: "thread" }, () => 1);
    expect(() => new ThreadWorkerPool({ tasks: [tasks.add, other] })).toThrow(MultipleBrokersError);
    const twin = task(tasks.broker, { name: "add", queue: "elsewhere", mechanism: "thread" }, () => 2);
    expect(() => new ThreadWorkerPool({ tasks: [tasks.add, twin] })).toThrow(TaskNameCollisionError);
  });

  it("validates numbers and derives capacity and alphabetical queues", () => {
    expect(() => new ThreadWorkerPool({ tasks: [tasks.add], nThreads: 0 })).toThrow(ValidationError);
    expect(() => new ThreadWorkerPool({ tasks: [tasks.add], nProcesses: 2, nProcessFloor: 3 })).toThrow(ValidationError);
    expect(() => new ThreadWorkerPool({ tasks: [tasks.add], queues: ["a", "a"] })).toThrow(ValidationError);
    const built = new ThreadWorkerPool({ tasks: [tasks.track, tasks.add], nThreads: 3, nProcesses: 2 });
    expect(built.capacity).toBe(6);
    expect(built.load).toBe(0);
    expect(built.queues).toEqual(["alsek_queue", "track"]);
    expect(built.tasks.map((t) => t.name)).toEqual(["track", "add"]);
  });
});

describe("ThreadWorkerPool", () => {
  it("runs tasks defined in a TypeScript module and stores their results", async () => {
    const p = start();
    const message = await tasks.add.generate({ args: [1, 2] });
    const completed = new Promise((resolve) => p.once("completed", (_m, value) => resolve(value)));
    expect(await completed).toBe(3);
    expect(await result(message)).toBe(3);
  });

  it("never runs more tasks at once than its capacity", async () => {
    const p = start({ nThreads: 2, nProcesses: 2, queues: ["track"] });
    let peakLoad = 0;
    p.on("completed", () => {});
    const sampler = setInterval(() => (peakLoad = Math.max(peakLoad, p.load)), 5);
    for (let i = 0; i < 16; i++) await tasks.track.generate({ args: [`t${i}`, 120] });
    await until("16 tasks ran", () => lines(harness.dir, "order").length === 16 && p.load === 0);
    clearInterval(sampler);
    const peaks = lines(harness.dir, "peaks").map(Number);
    expect(Math.max(...peaks)).toBeLessThanOrEqual(4);
    expect(Math.max(...peaks)).toBeGreaterThan(1);
    expect(peakLoad).toBeLessThanOrEqual(4);
  });

  it("consumes queues in the given order, by priority then arrival within a queue", async () => {
    for (const [queue, label, priority] of [
      ["q_a", "a-late", 0], ["q_b", "b-p2", 2], ["q_b", "b-p0-first", 0], ["q_b", "b-p0-second", 0], ["q_a", "a-p1", 1],
    ] as const) {
      await tasks.track.generate({ args: [label, 1], queue, priority });
    }
    start({ nThreads: 1, nProcesses: 1, queues: ["q_b", "q_a"] });
    await until("5 tasks ran", () => lines(harness.dir, "order").length >= 5);
    expect(lines(harness.dir, "order").slice(-5)).toEqual(["b-p0-first", "b-p0-second", "b-p2", "a-late", "a-p1"]);
  });

  it("terminates a busy-looping task at its timeout and retries it per maxRetries", async () => {
    const p = start();
    const retried = new Promise((resolve) => p.once("retried", (_m, error) => resolve(error)));
    const message = await tasks.spin.generate({ args: ["spin"] });
    expect(await retried).toMatchObject({ name: "TaskTimeoutError" });
    await until("the spin task is dead-lettered", async () => (await deadLetter(message)) !== null);
    const dead = await deadLetter(message);
    expect(dead?.retries).toBe(1);
    expect(dead?.exceptionDetails?.name).toBe("TaskTimeoutError");
    expect(lines(harness.dir, "spins")).toHaveLength(2);
    const after = await tasks.add.generate({ args: [20, 22] });
    await until("the pool still works", async () => (await result(after)) === 42);
  });

  it("stops a revoked running task, with no side effect afterwards", async () => {
    const TASK_MS = 3_000;
    const p = start();
    const failed = new Promise((resolve) => p.once("failed", (_m, error) => resolve(error)));
    const message = await tasks.sleepThenWrite.generate({ args: ["revoked-file", TASK_MS] });
    await until("the task started", () => lines(harness.dir, "started").includes("revoked-file"));
    const startedAt = Date.now();
    await tasks.sleepThenWrite.revoke(message);
    expect(await failed).toMatchObject({ name: "RevokedError" });
    // Wait past the moment the task would have written its file had it not been stopped.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, TASK_MS + 500 - (Date.now() - startedAt))));
    expect(existsSync(join(harness.dir, "revoked-file"))).toBe(false);
    expect((await deadLetter(message))?.exceptionDetails?.name).toBe("RevokedError");
  });

  it("dead-letters a message of an unknown task and keeps working", async () => {
    start();
    const unknown = new Message({ taskName: "nobodyKnowsMe", queue: "alsek_queue" });
    await tasks.broker.submit(unknown);
    await until("the unknown message is dead-lettered", async () => (await deadLetter(unknown)) !== null);
    expect((await deadLetter(unknown))?.exceptionDetails?.name).toBe("UnknownTaskError");
    const after = await tasks.add.generate({ args: [2, 2] });
    await until("the pool still works", async () => (await result(after)) === 4);
  });

  it("passes over a message of a task that runs on the other mechanism, losing nothing", async () => {
    const processSide = task(tasks.broker, { name: "processSide", mechanism: "process" }, function processSide() {
      return 1;
    });
    start({ tasks: [tasks.add, processSide] });
    const message = await processSide.generate();
    await until("the message was passed over (delayed, not dead-lettered)", async () => {
      const counts = await tasks.backend.countQueue("alsek_queue");
      return counts.delayed === 1;
    });
    expect(await deadLetter(message)).toBeNull();
    expect((await tasks.backend.getMessage(message))?.retries).toBe(0);
    const after = await tasks.add.generate({ args: [3, 4] });
    await until("the pool still works", async () => (await result(after)) === 7);
  });

  it("counts a task that kills its thread as a failed attempt", async () => {
    start();
    const message = await tasks.crash.generate();
    await until("the crashed task is dead-lettered", async () => (await deadLetter(message)) !== null);
    const details = (await deadLetter(message))?.exceptionDetails;
    expect(details?.name).toBe("WorkerCrashedError");
    expect(details?.text).toContain("exited (code 7)");
  });

  it("runs the guided tour's callbacks, message passing, hooks and retry control", async () => {
    start();
    const chain = await tasks.add1.generate({
      args: [1],
      callback: [
        await tasks.add1Previous.defer().generate(),
        await tasks.add1Previous.defer().generate(),
        await tasks.printResult.defer().generate(),
      ],
    });
    await until("the chain printed", () => lines(harness.dir, "printed").includes("4"));
    const descendants = await tasks.backend.descendantResults(chain.queue, chain.uuid);
    expect(descendants).toHaveLength(3);

    await tasks.customValue.generate({ args: [1], callback: await tasks.printResult.defer().generate() });
    await tasks.customValue.generate({ args: [5], callback: await tasks.printResult.defer().generate() });
    const range = await tasks.customThrow.generate({ args: ["range"] });
    const type = await tasks.customThrow.generate({ args: ["type"] });
    await until("both throwing tasks are dead-lettered", async () =>
      (await deadLetter(range)) !== null && (await deadLetter(type)) !== null,
    );
    expect((await deadLetter(range))?.retries).toBe(0);
    expect((await deadLetter(type))?.retries).toBe(3);
    await until("the value 5 was printed", () => lines(harness.dir, "printed").includes("5"));
    expect(lines(harness.dir, "printed")).not.toContain("1");
    const hooks = lines(harness.dir, "hooks");
    expect(hooks).toContain("preOp customValue");
    expect(hooks).toContain("postOp customValue");
    expect(hooks).toContain("onSuccess customValue 5");
    expect(hooks).toContain("onFailure customThrow RangeError");
    expect(hooks.filter((line) => line === "onRetry customThrow TypeError")).toHaveLength(3);
  });

  it("with completeOnlyOnThreadExit, completes a task only after the work it left behind", async () => {
    const p = start({ completeOnlyOnThreadExit: true });
    const completed = new Promise((resolve) => p.once("completed", () => resolve(existsSync(join(harness.dir, "late-file")))));
    await tasks.leaveTimer.generate({ args: ["late-file"] });
    expect(await completed).toBe(true);
  });

  it("starts process groups under load and retires them when idle", async () => {
    const p = start({ nThreads: 1, nProcesses: 3, groupIdleTimeout: 300, queues: ["track"] });
    let peakGroups = 0;
    const sampler = setInterval(() => (peakGroups = Math.max(peakGroups, p.groupCount)), 5);
    for (let i = 0; i < 6; i++) await tasks.track.generate({ args: [`e${i}`, 400] });
    await until("6 tasks ran", () => lines(harness.dir, "order").length === 6 && p.load === 0);
    clearInterval(sampler);
    expect(peakGroups).toBeGreaterThan(1);
    expect(peakGroups).toBeLessThanOrEqual(3);
    await until("idle groups retired", () => p.groupCount === 0, 10_000);
  });

  it("stops gracefully: running tasks finish, nothing new is claimed", async () => {
    const p = start({ nThreads: 1, nProcesses: 1 });
    const first = await tasks.sleepThenWrite.generate({ args: ["graceful-1", 500] });
    const second = await tasks.sleepThenWrite.generate({ args: ["graceful-2", 500] });
    await until("the first task started", () => lines(harness.dir, "started").includes("graceful-1"));
    await p.stop();
    expect(existsSync(join(harness.dir, "graceful-1"))).toBe(true);
    expect(await result(first)).toBe("graceful-1");
    const waiting = await tasks.backend.getMessage({ queue: second.queue, uuid: second.uuid });
    expect(waiting?.retries).toBe(0);
    expect(lines(harness.dir, "started")).not.toContain("graceful-2");
  });
});

describe("ThreadWorkerPool in its own process", () => {
  it("loses nothing when killed with SIGKILL mid-task: a second pool completes the messages", async () => {
    const messages = [
      await tasks.sleepThenWrite.generate({ args: ["killed-1", 800] }),
      await tasks.sleepThenWrite.generate({ args: ["killed-2", 800] }),
    ];
    const { child, started } = runPoolProcess(1_000, 30_000);
    await started;
    await until("both tasks started", () => lines(harness.dir, "started").length === 2);
    child.kill("SIGKILL");
    await exited(child);
    start({ leaseMs: 1_000 });
    await until("both messages completed", async () => {
      const values = await Promise.all(messages.map(result));
      return values.every((value, index) => value === `killed-${index + 1}`);
    });
    for (const message of messages) expect(await deadLetter(message)).toBeNull();
  });

  it("drains on SIGTERM and hands unfinished work back without consuming a retry", async () => {
    const long = await tasks.sleepThenWrite.generate({ args: ["sigterm-long", 5_000] });
    const { child, started } = runPoolProcess(30_000, 300);
    await started;
    await until("the task started", () => lines(harness.dir, "started").includes("sigterm-long"));
    child.kill("SIGTERM");
    expect(await exited(child)).toBe(0);
    const back = await tasks.backend.getMessage({ queue: long.queue, uuid: long.uuid });
    expect(back?.retries).toBe(0);
    expect((await tasks.backend.countQueue(long.queue)).ready).toBe(1);
    expect(existsSync(join(harness.dir, "sigterm-long"))).toBe(false);
    // Handed back, it waits in its queue again: its status says so rather than RUNNING.
    expect(await tasks.backend.getValue(`status:${long.uuid}`)).toBe(TaskStatus.SUBMITTED);
  });
});
