// A thread pool and a process pool on one queue, sharing one backend in one process. Each used to
// claim the other's messages and pass them over (schedule them again a second later); both pools
// then woke at the same due time and one could take the same message again and again while the
// pool that runs it never got it. Now each pool's claims skip the other's tasks
// (ClaimRequest.skipTasks): no message is passed over at all.
import { TaskStatus, type LogFields, type LogSink } from "@alsek/core";
import { startRedisServer, type RedisServer } from "@alsek/test-support";
import { ProcessWorkerPool } from "@alsek/worker-process";
import { ThreadWorkerPool } from "@alsek/worker-thread";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

type Tasks = typeof import("./__fixtures__/pass-over-tasks.js");

let redis: RedisServer;
let tasks: Tasks;
let threads: ThreadWorkerPool;
let processes: ProcessWorkerPool;
const passOvers: string[] = [];

const ignore = (): void => {};
/** Records the uuid of every pass-over the pools log. */
const logger: LogSink = {
  debug: ignore,
  info: ignore,
  warn(fields: LogFields, message: string) {
    if (message.includes("passed over")) passOvers.push(String(fields.uuid));
  },
  error: ignore,
};

beforeAll(async () => {
  redis = await startRedisServer();
  process.env.ALSEK_PASS_OVER_REDIS_URL = redis.url;
  tasks = await import("./__fixtures__/pass-over-tasks.js");
  threads = new ThreadWorkerPool({ tasks: tasks.tasks, nThreads: 2, nProcesses: 1, handleSignals: false, logger });
  processes = new ProcessWorkerPool({ tasks: tasks.tasks, nProcesses: 1, handleSignals: false, logger });
  void threads.run();
  void processes.run();
});

afterAll(async () => {
  await Promise.all([threads?.stop(), processes?.stop()]);
  await tasks?.backend.close();
  await redis?.stop();
});

describe("pools of both mechanisms on one queue in one process", () => {
  it("runs every message on its own mechanism without passing any over", async () => {
    const messages = [];
    for (let i = 0; i < 10; i++) {
      messages.push(await tasks.inProcesses.generate({ args: [i] }));
      messages.push(await tasks.onThreads.generate({ args: [i] }));
    }
    for (const message of messages) {
      await tasks.statusTracker.waitFor(message, TaskStatus.SUCCEEDED, { timeout: 25_000 });
    }
    expect(passOvers).toEqual([]);
  });
});
