import { MemoryBackend, type QueueEvent } from "@alsek/core";
import { describe, expect, it } from "vitest";
import { QueueEvents } from "./queue-events.js";

/** A message as a producer would submit it to queue `q`. */
function queued(uuid: string) {
  const data = {
    taskName: "t", queue: "q", args: [], kwargs: {}, priority: 0, metadata: null, exceptionDetails: null, resultTtl: null,
    uuid, progenitorUuid: null, retries: 0, timeout: 1_000, createdAt: 1, updatedAt: 1, delay: 0, previousResult: null,
    previousMessageUuid: null, callbackMessageData: null, mechanism: "thread" as const, linkedLock: null,
    backoffSettings: { algorithm: "ConstantBackoff", parameters: { constant: 0, zeroOverride: true } },
  };
  return { queue: "q", uuid, priority: 0, readyAt: 0, data };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe("QueueEvents", () => {
  it("refuses a backend that records no events, saying how to turn them on", () => {
    expect(() => new QueueEvents(new MemoryBackend(), { queues: ["q"] })).toThrow(
      "QueueEvents needs a backend that records events: create it with the `events` option",
    );
    const backend = new MemoryBackend({ events: true });
    expect(() => new QueueEvents(backend, { queues: [] })).toThrow("QueueEvents: give at least one queue in `queues`.");
    expect(() => new QueueEvents(backend, { queues: ["q"], batchSize: 0 })).toThrow(
      "QueueEvents: `batchSize` must be an integer from 1 to 1000, got 0.",
    );
  });

  it("emits each event by its type and as `event`, from the oldest kept", async () => {
    const backend = new MemoryBackend({ events: true });
    await backend.submit([queued("a")]);
    const { messages } = await backend.claim({ queues: ["q"], limit: 1, leaseMs: 60_000 });
    await backend.ack(messages[0]!.lease);
    const events = new QueueEvents(backend, { queues: ["q"], from: "oldest", pollInterval: 5 });
    const all: QueueEvent[] = [];
    const succeeded: QueueEvent[] = [];
    events.on("event", (event) => all.push(event));
    events.on("succeeded", (event) => succeeded.push(event));
    await until(() => succeeded.length === 1);
    await events.close();
    expect(all.map((event) => event.type)).toEqual(["submitted", "started", "succeeded"]);
    expect(succeeded[0]).toMatchObject({ uuid: "a", attempt: 0 });
    expect(events.positions).toEqual({ q: all[2]!.id });
  });

  it("iterates from now on, and a reader resumed from positions misses nothing", async () => {
    const backend = new MemoryBackend({ events: true });
    await backend.submit([queued("before")]);
    const first = new QueueEvents(backend, { queues: ["q"], pollInterval: 5 });
    const seen: string[] = [];
    const reading = (async () => {
      for await (const event of first) {
        seen.push(event.uuid);
        if (seen.length === 2) break;
      }
    })();
    await first.ready();
    await backend.submit([queued("one"), queued("two")]);
    await reading;
    expect(seen).toEqual(["one", "two"]);
    await backend.submit([queued("three")]);
    const positions = first.positions;
    await first.close();
    const second = new QueueEvents(backend, { queues: ["q"], from: positions, pollInterval: 5 });
    const rest: string[] = [];
    for await (const event of second) {
      rest.push(event.uuid);
      break;
    }
    await second.close();
    expect(rest).toEqual(["three"]);
  });
});
