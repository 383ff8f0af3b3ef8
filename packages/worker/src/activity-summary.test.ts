import { EventEmitter } from "node:events";
import { afterEach, expect, it, vi } from "vitest";
import { Broker } from "@alsek/core";
import { createLogger, getLogLevel, setLogLevel } from "@alsek/core";
import { MemoryBackend } from "@alsek/core";
import { task } from "@alsek/core";
import { ActivitySummary } from "./activity-summary.js";

const levelBefore = getLogLevel();
afterEach(() => {
  vi.restoreAllMocks();
  setLogLevel(levelBefore);
});

function captureStderr(): string[] {
  const lines: string[] = [];
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return lines;
}

it("logs one line with done, failed, retried, queue depth and load, and nothing while idle", async () => {
  const backend = new MemoryBackend();
  const add = task(new Broker(backend), { queue: "sums" }, function add(a: number, b: number) {
    return a + b;
  });
  await add.generate({ args: [1, 2] });
  await add.generate({ args: [3, 4] });
  const events = new EventEmitter();
  const summary = new ActivitySummary(
    { events, backend, queues: ["sums"], load: () => ({ running: 1, capacity: 4 }) },
    createLogger("alsek.pool.test"),
    60_000,
  );
  setLogLevel("info");
  const lines = captureStderr();
  summary.start();
  await summary.flush();
  expect(lines).toEqual([]);
  for (const event of ["completed", "completed", "completed", "failed", "retried"]) events.emit(event);
  await summary.flush();
  expect(lines).toHaveLength(1);
  const record = JSON.parse(lines[0]!) as Record<string, unknown>;
  expect(record).toMatchObject({ level: "info", done: 3, failed: 1, retried: 1, ready: 2, delayed: 0, running: 1, capacity: 4 });
  expect(String(record.msg)).toMatch(/3 done, 1 failed, 1 retried .*2 ready, 0 delayed; running 1\/4/);
  await summary.flush();
  expect(lines).toHaveLength(1);
  await summary.stop();
  events.emit("completed");
  await summary.flush();
  expect(lines).toHaveLength(1);
  await backend.close();
});
