// The unstorable-result behaviour, registered once per backend by a test file of its own (each
// file runs in a fresh process, so the fixture tasks load for that backend only).
import { mkdtempSync, readFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ResultSerializationError, SerializationError, type Message } from "@alsek/core";
import { startRedisServer, type RedisServer } from "@alsek/test-support";
import { until } from "@alsek/test-support/pool-behaviour";
import { ThreadWorkerPool } from "@alsek/worker-thread";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

type Tasks = typeof import("./unstorable-result-tasks.js");

/**
 * A task result the backend's serializer cannot store fails the attempt at once, like any task
 * error, on a real ThreadWorkerPool. Before, the ack threw, the pool logged it, and the body ran
 * again each time the lease expired.
 */
export function describeUnstorableResult(kind: "redis" | "sqlite"): void {
  describe(`an unstorable result on a thread pool (${kind})`, () => {
    let redis: RedisServer | undefined;
    let dir = "";
    let tasks: Tasks;
    let pool: ThreadWorkerPool | undefined;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), `alsek-unstorable-${kind}-`));
      process.env.ALSEK_UNSTORABLE_DIR = dir;
      process.env.ALSEK_UNSTORABLE_BACKEND = kind;
      if (kind === "redis") {
        redis = await startRedisServer();
        process.env.ALSEK_UNSTORABLE_REDIS_URL = redis.url;
      }
      tasks = await import("./unstorable-result-tasks.js");
    });

    afterEach(async () => {
      await pool?.stop();
      pool = undefined;
      await tasks.backend.clear();
      rmSync(join(dir, "runs"), { force: true });
    });

    afterAll(async () => {
      await tasks.backend.close();
      await redis?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    function runs(): string[] {
      const path = join(dir, "runs");
      return existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean) : [];
    }

    function startPool(): { failed: unknown[]; retried: unknown[] } {
      // A short lease: on the old code the body ran again each time it expired.
      pool = new ThreadWorkerPool({ tasks: tasks.allTasks, nThreads: 1, nProcesses: 1, leaseMs: 1_000, handleSignals: false });
      const events = { failed: [] as unknown[], retried: [] as unknown[] };
      pool.on("failed", (_message, error) => events.failed.push(error));
      pool.on("retried", (_message, error) => events.retried.push(error));
      void pool.run();
      return events;
    }

    async function deadLetterOf(message: Message): Promise<NonNullable<Awaited<ReturnType<Tasks["backend"]["getDeadLetter"]>>>> {
      await until("the message is dead-lettered", async () => (await tasks.backend.getDeadLetter(message)) !== null);
      return (await tasks.backend.getDeadLetter(message))!;
    }

    it("fails the attempt at once with maxRetries 0: the body runs once, the message is in the DLQ", async () => {
      const events = startPool();
      const message = await tasks.bigIntResult.generate({ args: ["once"] });
      const dead = await deadLetterOf(message);
      expect(dead.exceptionDetails?.name).toBe("ResultSerializationError");
      expect(dead.exceptionDetails?.text).toContain("Task 'bigIntResult'");
      expect(dead.exceptionDetails?.text).toContain("result.items[3].id");
      expect(dead.exceptionDetails?.text).toContain("SuperJsonSerializer");
      await until("the pool reported the failure", () => events.failed.length === 1);
      expect(events.failed[0]).toBeInstanceOf(ResultSerializationError);
      // Past two lease lengths: an attempt left to its lease would have run again by now.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(runs()).toEqual(["once"]);
      expect(await tasks.backend.getMessage(message)).toBeNull();
    });

    it("retries it like a task error while retries remain, then dead-letters it", async () => {
      const events = startPool();
      const message = await tasks.bigIntResultRetried.generate({ args: ["again"] });
      const dead = await deadLetterOf(message);
      expect(dead.retries).toBe(2);
      expect(dead.exceptionDetails?.name).toBe("ResultSerializationError");
      expect(runs()).toEqual(["again", "again", "again"]);
      expect(events.retried).toHaveLength(2);
      for (const error of events.retried) expect(error).toBeInstanceOf(ResultSerializationError);
    });

    it("fails the attempt when the callback message built from the result cannot be stored", async () => {
      startPool();
      const callback = await tasks.receiveResult.defer().generate();
      const message = await tasks.bigIntForCallback.generate({ args: ["with callback"], callback });
      const dead = await deadLetterOf(message);
      expect(dead.exceptionDetails?.name).toBe("ResultSerializationError");
      expect(dead.exceptionDetails?.text).toContain("callback message to task 'receiveResult'");
      expect(dead.exceptionDetails?.text).toContain("previousResult.items[3].id");
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(runs()).toEqual(["with callback"]);
      expect(await tasks.backend.getMessage(callback)).toBeNull();
    });

    it("refuses arguments JSON would change at generate(), naming the path, and submits nothing", async () => {
      const when = new Date(0);
      const refused = tasks.bigIntResult.generate({ args: [when as unknown as string] });
      await expect(refused).rejects.toThrow(SerializationError);
      await expect(refused).rejects.toMatchObject({ path: "args[0]" });
      await expect(refused).rejects.toThrow(/args\[0\] unchanged: it is a Date.*SuperJsonSerializer/);
      expect(await tasks.backend.countQueue("alsek_queue")).toMatchObject({ ready: 0, delayed: 0, active: 0 });
    });
  });
}
