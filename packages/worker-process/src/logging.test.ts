// A process pool's logs go to the logger it is given (pino here), each record about a message
// with its queue, task and uuid; records written in its child processes, where tasks run, go to
// the logger configured there: the task's broker's, from the task module.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { getLogLevel, setLogLevel, type Message } from "@alsek/core";
import { startRedisServer, type RedisServer } from "@alsek/test-support";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ProcessWorkerPool } from "./index.js";

type Record = { [key: string]: unknown; msg: string };

let server: RedisServer;
let dir: string;
let workerLog: string;
let tasks: typeof import("./__fixtures__/logging-tasks.js");
const levelBefore = getLogLevel();

beforeAll(async () => {
  server = await startRedisServer();
  dir = mkdtempSync(join(tmpdir(), "alsek-process-logging-"));
  workerLog = join(dir, "worker.log");
  // Set before the task module is imported here and in the pool's children.
  process.env.ALSEK_TEST_REDIS_URL = server.url;
  process.env.ALSEK_TEST_WORKER_LOG = workerLog;
  tasks = await import("./__fixtures__/logging-tasks.js");
});

afterAll(async () => {
  setLogLevel(levelBefore);
  await tasks?.backend.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function workerRecords(): Record[] {
  let text = "";
  try {
    text = readFileSync(workerLog, "utf8");
  } catch {
    return [];
  }
  return text.split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record);
}

describe("ProcessWorkerPool logging to a pino logger", () => {
  it("sends the pool's records to its logger, and the children's to the logger the task module configures there", async () => {
    const records: Record[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split("\n")) if (line) records.push(JSON.parse(line) as Record);
        done();
      },
    });
    const pool = new ProcessWorkerPool({
      tasks: [tasks.flaky, tasks.tidy],
      nProcesses: 1,
      handleSignals: false,
      logLevel: "debug",
      summaryIntervalMs: 0,
      logger: pino({ level: "debug" }, stream),
    });
    const failed = new Promise<Message>((resolve) => pool.on("failed", (message) => resolve(message)));
    const completed = new Promise<Message>((resolve) => pool.on("completed", (message) => resolve(message)));
    const running = pool.run();
    await tasks.flaky.generate();
    await tasks.tidy.generate();
    const [flaky, tidy] = [await failed, await completed];
    await pool.stop();
    await running;

    const about = (message: Message) => ({ queue: "logging", task: message.taskName, uuid: message.uuid });
    expect(records).toContainEqual(expect.objectContaining({ msg: "Attempt failed; retrying", ...about(flaky) }));
    expect(records).toContainEqual(expect.objectContaining({ msg: "Retries exhausted; message moved to the DLQ", ...about(flaky) }));
    expect(records).toContainEqual(expect.objectContaining({ msg: expect.stringMatching(/^Monitoring 2 task/), logger: "alsek.pool.process" }));
    for (const record of records.filter((r) => r.uuid !== undefined)) {
      expect(record).toMatchObject({ queue: "logging", task: expect.any(String) });
    }
    expect(records.some((r) => r.msg === "Hook postOp failed")).toBe(false);
    await vi.waitFor(() =>
      expect(workerRecords()).toContainEqual(expect.objectContaining({ msg: "Hook postOp failed", ...about(tidy), logger: "alsek.lifecycle" })),
    );
    expect(workerRecords().find((r) => r.msg === "Hook postOp failed")?.pid).not.toBe(process.pid);
  });
});
