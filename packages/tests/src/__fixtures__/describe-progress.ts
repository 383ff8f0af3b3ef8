// Progress from running tasks, registered once per backend by a test file of its own (each file
// runs in a fresh process, so the fixture tasks load for that backend only).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { progressChannel, TaskStatus, type ProgressUpdate } from "@alsek/core";
import { QueueInspector } from "@alsek/results";
import { startRedisServer, type RedisServer } from "@alsek/test-support";
import { until } from "@alsek/test-support/pool-behaviour";
import { ProcessWorkerPool } from "@alsek/worker-process";
import { InLoopWorkerPool, ThreadWorkerPool } from "@alsek/worker-thread";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

type Tasks = typeof import("./progress-tasks.js");

/**
 * `message.progress(value)` in a task run by a thread pool, a process pool and an in-loop pool: stored with the
 * message under its lease, published live, throttled next to the task with the last value kept.
 */
export function describeProgress(kind: "redis" | "sqlite"): void {
  describe(`progress from running tasks (${kind})`, () => {
    let redis: RedisServer | undefined;
    let dir = "";
    let tasks: Tasks;
    let threads: ThreadWorkerPool;
    let groups: ThreadWorkerPool;
    let processes: ProcessWorkerPool;
    let inLoop: InLoopWorkerPool;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), `alsek-progress-${kind}-`));
      process.env.ALSEK_PROGRESS_DIR = dir;
      process.env.ALSEK_PROGRESS_BACKEND = kind;
      if (kind === "redis") {
        redis = await startRedisServer();
        process.env.ALSEK_PROGRESS_REDIS_URL = redis.url;
      }
      tasks = await import("./progress-tasks.js");
      threads = new ThreadWorkerPool({ tasks: tasks.threadTasks, nThreads: 2, nProcesses: 1, handleSignals: false });
      // Process groups: its threads run in child processes, so progress crosses one more IPC hop.
      groups = new ThreadWorkerPool({ tasks: tasks.groupTasks, nThreads: 2, nProcesses: 2, inProcess: false, handleSignals: false });
      processes = new ProcessWorkerPool({ tasks: tasks.processTasks, nProcesses: 1, handleSignals: false });
      // In-loop: the task runs in the pool's own event loop and reports without any hop.
      inLoop = new InLoopWorkerPool({ tasks: tasks.inLoopTasks, concurrency: 2, handleSignals: false });
      void threads.run();
      void inLoop.run();
      void groups.run();
      void processes.run();
    });

    afterAll(async () => {
      await Promise.all([threads?.stop(), groups?.stop(), processes?.stop(), inLoop?.stop()]);
      await tasks?.backend.close();
      await redis?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    const pools = {
      thread: () => ({ stepped: tasks.threadStepped, tightLoop: tasks.threadTightLoop }),
      "thread (process groups)": () => ({ stepped: tasks.groupStepped, tightLoop: tasks.groupTightLoop }),
      process: () => ({ stepped: tasks.processStepped, tightLoop: tasks.processTightLoop }),
      "in-loop": () => ({ stepped: tasks.inLoopStepped, tightLoop: tasks.inLoopTightLoop }),
    };
    for (const [mechanism, pick] of Object.entries(pools)) {
      it(`streams every value of a task slower than the throttle, in order, to listenProgress (${mechanism} pool)`, async () => {
        const generate = pick().stepped;
        const message = await generate.generate({ args: [4] });
        const seen: ProgressUpdate[] = [];
        for await (const update of tasks.statusTracker.listenProgress(message)) seen.push(update);
        expect(seen.map((update) => update.value)).toEqual([1, 2, 3, 4].map((step) => ({ step, of: 4 })));
        expect(seen.every((update) => update.attempt === 0)).toBe(true);
        expect((await tasks.statusTracker.get(message)).status).toBe(TaskStatus.SUCCEEDED);
        expect((await tasks.statusTracker.getProgress(message))?.value).toEqual({ step: 4, of: 4 });
        const outcome = await new QueueInspector(tasks.backend).getOutcome(message.queue, message.uuid);
        expect(outcome.progress?.value).toEqual({ step: 4, of: 4 });
      });

      it(`writes a tight loop of 100 000 calls twice, the first and the last value (${mechanism} pool)`, async () => {
        const generate = pick().tightLoop;
        const message = await generate.generate({ args: [100_000], submit: false });
        const published: unknown[] = [];
        const subscription = await tasks.backend.subscribe(progressChannel(message), (value) => published.push(value));
        try {
          await tasks.broker.submit(message);
          await tasks.statusTracker.waitFor(message, TaskStatus.SUCCEEDED, { timeout: 30_000 });
          await until("the last value is published", () => published.length >= 2);
          expect(published.map((update) => (update as ProgressUpdate).value)).toEqual([0.001, 100]);
          expect((await tasks.statusTracker.getProgress(message))?.value).toBe(100);
        } finally {
          await subscription.unsubscribe();
        }
      });
    }

    it("fails the attempt with a clear ValidationError when a task reports a value too large", async () => {
      const message = await tasks.threadTooLarge.generate();
      await tasks.statusTracker.waitFor(message, TaskStatus.FAILED, { timeout: 30_000 });
      const dead = await tasks.backend.getDeadLetter(message);
      expect(dead?.exceptionDetails?.name).toBe("ValidationError");
      expect(dead?.exceptionDetails?.text).toContain("progress(): the object is 2011 bytes of JSON, more than the 1024 allowed");
      expect(await tasks.statusTracker.getProgress(message)).toBeNull();
    });
  });
}
