import { Broker, MemoryBackend, progressWrite, task } from "@alsek/core";
import { QueueInspector, ResultStore, StatusTracker, TaskStatus } from "@alsek/results";
import { afterEach, describe, expect, it } from "vitest";
import { deafBackend } from "../__tests__/deaf-backend.js";
import type { LiveEvent } from "./live-event.js";
import { LiveHub } from "./live-hub.js";

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function nextEvent(events: LiveEvent[], match: (event: LiveEvent) => boolean): Promise<LiveEvent> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      const found = events.find(match);
      if (found) {
        clearInterval(timer);
        resolve(found);
      }
    }, 5);
  });
}

describe("LiveHub", () => {
  it("without pub/sub, finds status changes, progress and results with its shared poll", async () => {
    const real = new MemoryBackend();
    const backend = deafBackend(real);
    const hub = new LiveHub(backend, new QueueInspector(backend), 50);
    closers.push(() => real.close(), () => hub.close());
    const resultStore = new ResultStore(real);
    const echo = task(new Broker(real), { name: "echo", queue: "q", statusTracker: new StatusTracker(real), resultStore }, () => 1);
    const message = await echo.generate();
    const events: LiveEvent[] = [];
    const stop = await hub.watchMessage("q", message.uuid, (event) => events.push(event));
    await nextEvent(events, (e) => e.event === "status" && (e.data as { status: string }).status === "SUBMITTED");
    await new StatusTracker(real).set(message, TaskStatus.RUNNING);
    await nextEvent(events, (e) => e.event === "status" && (e.data as { status: string }).status === "RUNNING");
    const { messages } = await real.claim({ queues: ["q"], limit: 1, leaseMs: 60_000 });
    await real.setProgress(messages[0]!.lease, progressWrite(message, { done: 3, of: 4 }, 0));
    const progress = await nextEvent(events, (e) => e.event === "progress");
    expect((progress.data as { text: string }).text).toContain('"done": 3');
    await real.setResult(message, { value: { total: 42 }, ttlMs: null, progenitorUuid: null });
    const result = await nextEvent(events, (e) => e.event === "result");
    expect((result.data as { text: string }).text).toContain('"total": 42');
    stop();
    expect(hub.watching.messages).toBe(0);
  });

  it("reads counts once for fifty listeners, not once per listener", async () => {
    const backend = new MemoryBackend();
    let reads = 0;
    const inspector = new QueueInspector(backend);
    const listQueues = inspector.listQueues.bind(inspector);
    inspector.listQueues = async () => {
      reads += 1;
      return listQueues();
    };
    // A poll far away: only the first read, which the first listener asks for, can happen.
    const hub = new LiveHub(backend, inspector, 60_000);
    closers.push(() => backend.close(), () => hub.close());
    const echo = task(new Broker(backend), { name: "echo", queue: "q" }, () => 1);
    await echo.generate();
    const seen = Array.from({ length: 50 }, () => [] as LiveEvent[]);
    const stops = seen.map((events) => hub.watchCounts((event) => events.push(event)));
    await Promise.all(seen.map((events) => nextEvent(events, (e) => e.event === "counts")));
    expect(reads).toBe(1);
    // A tab that opens later gets the last snapshot without a read of its own.
    const late: LiveEvent[] = [];
    stops.push(hub.watchCounts((event) => late.push(event)));
    expect(late.map((e) => e.event)).toEqual(["counts"]);
    expect(reads).toBe(1);
    for (const stop of stops) stop();
    expect(hub.watching.counts).toBe(0);
  });
});
