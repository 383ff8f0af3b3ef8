import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { Broker } from "../broker/index.js";
import { Consumer } from "../consumer/index.js";
import { TaskTimeoutError, TerminationError } from "../errors/index.js";
import { MemoryBackend } from "../memory/index.js";
import { AttemptAbort, Message } from "../messages/index.js";
import { task } from "../tasks/index.js";
import { runInline, runTask } from "./index.js";

const backends: MemoryBackend[] = [];
afterEach(async () => {
  await Promise.all(backends.splice(0).map((b) => b.close()));
});

function setup() {
  const backend = new MemoryBackend();
  backends.push(backend);
  return new Broker(backend);
}

describe("message.signal", () => {
  it("never aborts outside a run", () => {
    const message = new Message({ taskName: "t" });
    expect(message.signal.aborted).toBe(false);
    expect(message.attemptAbort).toBeNull();
  });

  it("is the attempt's signal during runTask, already aborted with the reason when the abort came before it was read", async () => {
    const broker = setup();
    const seen: unknown[] = [];
    const t = task(broker, { name: "readsLate", passMessage: true }, function readsLate(message: Message) {
      seen.push(message.signal.aborted, message.signal.reason);
    });
    const abort = new AttemptAbort();
    const reason = new TerminationError("stopping");
    abort.abort(reason);
    abort.abort(new TaskTimeoutError("later calls do nothing"));
    const message = new Message({ taskName: t.name });
    await runTask(t, message, { abort });
    expect(seen).toEqual([true, reason]);
    expect(message.attemptAbort).toBeNull();
    expect(message.signal.aborted).toBe(false);
  });

  it("runInline forwards its signal: an abortable wait ends, finally runs, and the attempt fails with the abort", async () => {
    const broker = setup();
    const notes: string[] = [];
    const t = task(broker, { name: "waits", passMessage: true, maxRetries: 0 }, async function waits(message: Message) {
      try {
        notes.push("started");
        await sleep(600_000, undefined, { signal: message.signal });
      } finally {
        notes.push(`cleanup ${(message.signal.reason as Error).name}`);
      }
    });
    await t.generate();
    const consumer = new Consumer(broker, { queues: ["alsek_queue"] });
    const [message] = await consumer.claim(1);
    await consumer.close();
    const controller = new AbortController();
    const running = runInline(t, message!, undefined, controller.signal);
    while (notes.length === 0) await sleep(1);
    controller.abort(new TaskTimeoutError("too slow"));
    const outcome = await running;
    expect(outcome.ok).toBe(false);
    expect(outcome.disposition).toBe("failed");
    expect(notes).toEqual(["started", "cleanup TaskTimeoutError"]);
  });
});
