// A pool's logs go to the logger it is given (pino here), each record about a message with its
// queue, task and uuid; records written where a task runs (worker thread, process group child)
// go to the logger configured there: the task's broker's, from the task module.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { getLogLevel, setLogLevel, type Message } from "@alsek/core";
import { startRedisServer, type RedisServer } from "@alsek/test-support";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ThreadWorkerPool, type ThreadWorkerPoolOptions } from "./index.js";

type Record = { [key: string]: unknown; msg: string };

let server: RedisServer;
let dir: string;
let workerLog: string;
let tasks: typeof import("./__fixtures__/logging-tasks.js");
const levelBefore = getLogLevel();
const envLevelBefore = process.env.ALSEK_LOG_LEVEL;

beforeAll(async () => {
  server = await startRedisServer();
  dir = mkdtempSync(join(tmpdir(), "alsek-logging-"));
  workerLog = join(dir, "worker.log");
  // Set before the task module is imported here and in the pool's threads and children.
  process.env.ALSEK_TEST_REDIS_URL = server.url;
  process.env.ALSEK_TEST_WORKER_LOG = workerLog;
  tasks = await import("./__fixtures__/logging-tasks.js");
});

afterAll(async () => {
  setLogLevel(levelBefore);
  if (envLevelBefore === undefined) delete process.env.ALSEK_LOG_LEVEL;
  else process.env.ALSEK_LOG_LEVEL = envLevelBefore;
  await tasks?.backend.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A pino logger writing JSON lines to memory. */
function memoryPino(): { logger: pino.Logger; records: Record[] } {
  const records: Record[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n")) if (line) records.push(JSON.parse(line) as Record);
      done();
    },
  });
  return { logger: pino({ level: "debug" }, stream), records };
}

function workerRecords(): Record[] {
  let text = "";
  try {
    text = readFileSync(workerLog, "utf8");
  } catch {
    return [];
  }
  return text.split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record);
}

/** Run `flaky` (fails twice, then dead-lettered) and `tidy` (succeeds, postOp fails) on a pool. */
async function runBoth(options: Partial<ThreadWorkerPoolOptions>): Promise<{ failed: Message; done: Message }> {
  await tasks.backend.clear();
  const pool = new ThreadWorkerPool({
    tasks: [tasks.flaky, tasks.tidy],
    nThreads: 1,
    nProcesses: 1,
    handleSignals: false,
    logLevel: "debug",
    summaryIntervalMs: 0,
    ...options,
  });
  const failed = new Promise<Message>((resolve) => pool.on("failed", (message) => resolve(message)));
  const done = new Promise<Message>((resolve) => pool.on("completed", (message) => resolve(message)));
  const running = pool.run();
  await tasks.flaky.generate();
  await tasks.tidy.generate();
  const outcome = { failed: await failed, done: await done };
  await pool.stop();
  await running;
  return outcome;
}

function about(message: Message) {
  return { queue: "logging", task: message.taskName, uuid: message.uuid };
}

describe("logging to a pino logger", () => {
  it("sends the pool's records to its logger option, each with the message's queue, task and uuid", async () => {
    const { logger, records } = memoryPino();
    const { failed, done } = await runBoth({ logger });

    expect(records).toContainEqual(expect.objectContaining({ msg: "Attempt failed; retrying", ...about(failed), logger: "alsek.lifecycle" }));
    expect(records).toContainEqual(
      expect.objectContaining({ msg: "Retries exhausted; message moved to the DLQ", ...about(failed), level: 40 }),
    );
    expect(records).toContainEqual(expect.objectContaining({ msg: expect.stringMatching(/^Monitoring 2 task/), logger: "alsek.pool.thread" }));
    expect(records).toContainEqual(expect.objectContaining({ msg: "Worker pool stopped." }));
    // Every record about a message says which one.
    for (const record of records.filter((r) => r.uuid !== undefined)) {
      expect(record).toMatchObject({ queue: "logging", task: expect.any(String) });
    }
    // postOp runs in the worker thread: its record went to the logger configured there (the task's
    // broker's, from the task module), not to the pool's.
    expect(records.some((r) => r.msg === "Hook postOp failed")).toBe(false);
    await vi.waitFor(() =>
      expect(workerRecords()).toContainEqual(
        expect.objectContaining({ msg: "Hook postOp failed", ...about(done), logger: "alsek.lifecycle", error: { name: "Error", message: "postOp broke" } }),
      ),
    );
  });

  it("without a logger option, sends the pool's records to the tasks' broker's logger", async () => {
    writeFileSync(workerLog, ""); // truncated, not removed: the loggers keep the file open
    const { failed } = await runBoth({});
    await vi.waitFor(() =>
      expect(workerRecords()).toContainEqual(expect.objectContaining({ msg: "Attempt failed; retrying", ...about(failed) })),
    );
  });

  it("in a process group's child, writes the worker's records to the logger the task module configures there", async () => {
    writeFileSync(workerLog, ""); // truncated, not removed: the loggers keep the file open
    const { done } = await runBoth({ inProcess: false, logger: memoryPino().logger });
    await vi.waitFor(() =>
      expect(workerRecords()).toContainEqual(expect.objectContaining({ msg: "Hook postOp failed", ...about(done) })),
    );
    const record = workerRecords().find((r) => r.msg === "Hook postOp failed");
    expect(record?.pid).not.toBe(process.pid);
  });

  it("keeps Alsek's level: records below it are not written, whatever the logger's level", async () => {
    const { logger, records } = memoryPino();
    await runBoth({ logger, logLevel: "warn" });
    expect(records.some((r) => r.msg === "Attempt failed; retrying")).toBe(false);
    expect(records.some((r) => r.msg === "Retries exhausted; message moved to the DLQ")).toBe(true);
  });

  it("starts its workers at the pool's logLevel", async () => {
    writeFileSync(workerLog, ""); // truncated, not removed: the loggers keep the file open
    // "error" keeps the worker's postOp failure; "silent" (inherited by the new thread) drops it.
    const { done } = await runBoth({ logger: memoryPino().logger, logLevel: "error" });
    await vi.waitFor(() => expect(workerRecords()).toContainEqual(expect.objectContaining({ msg: "Hook postOp failed", uuid: done.uuid })));
    writeFileSync(workerLog, "");
    await runBoth({ logger: memoryPino().logger, logLevel: "silent" });
    expect(process.env.ALSEK_LOG_LEVEL).toBe("silent");
    // The outcome (reported after postOp's record would have been written) has been settled.
    expect(workerRecords()).toEqual([]);
  });
});
