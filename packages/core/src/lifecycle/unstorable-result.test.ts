import { afterEach, describe, expect, it } from "vitest";
import { PlainResultSink, RecordingStatusSink } from "../__fixtures__/recording-sinks.js";
import type { AckOptions, Lease, MessageRef, WriteOutcome } from "../backend/types.js";
import { Broker } from "../broker/index.js";
import { Consumer } from "../consumer/index.js";
import { BackendError, ResultSerializationError } from "../errors/index.js";
import { MemoryBackend } from "../memory/index.js";
import type { Message } from "../messages/index.js";
import { SuperJsonSerializer } from "../serializers/index.js";
import { Task, task } from "../tasks/index.js";
import { runInline } from "./index.js";

const backends: MemoryBackend[] = [];
function setup(backend = new MemoryBackend()) {
  backends.push(backend);
  const broker = new Broker(backend);
  return { backend, broker, statusTracker: new RecordingStatusSink(backend), resultStore: new PlainResultSink(backend) };
}
afterEach(async () => {
  await Promise.all(backends.splice(0).map((b) => b.close()));
});

async function claimOne(broker: Broker): Promise<Message> {
  const consumer = new Consumer(broker, { queues: ["alsek_queue"] });
  const [message] = await consumer.claim(1);
  await consumer.close();
  if (!message) throw new Error("nothing to claim");
  return message;
}

/** Records the errors its hooks receive. */
class Observed extends Task {
  static readonly seen: { hook: string; error: unknown }[] = [];
  override onFailure(_m: Message, error: unknown): void {
    Observed.seen.push({ hook: "onFailure", error });
  }
  override onRetry(_m: Message, error: unknown): void {
    Observed.seen.push({ hook: "onRetry", error });
  }
}
afterEach(() => {
  Observed.seen.length = 0;
});

const bigIntItems = () => ({ items: [0, 1, 2, { id: 10n }] });

describe("a result the serializer cannot store", () => {
  it("fails the attempt at once (DLQ, FAILED, onFailure) with a ResultSerializationError naming task and path", async () => {
    const { broker, backend, statusTracker, resultStore } = setup();
    const t = task(broker, { baseTask: Observed, maxRetries: 0, resultStore, statusTracker }, function bigIntResult() {
      return bigIntItems();
    });
    const generated = await t.generate();
    const message = await claimOne(broker);
    expect((await runInline(t, message)).disposition).toBe("failed");
    expect(await broker.exists(generated)).toBe(false);
    const dead = await backend.getDeadLetter(generated);
    expect(dead?.exceptionDetails?.name).toBe("ResultSerializationError");
    expect(dead?.exceptionDetails?.text).toContain("Task 'bigIntResult'");
    expect(dead?.exceptionDetails?.text).toContain("items[3].id unchanged: it is a BigInt");
    expect(statusTracker.of(generated)).toEqual(["SUBMITTED", "RUNNING", "FAILED"]);
    expect(Observed.seen).toHaveLength(1);
    const { hook, error } = Observed.seen[0]!;
    expect(hook).toBe("onFailure");
    expect(error).toBeInstanceOf(ResultSerializationError);
    expect((error as ResultSerializationError).path).toBe("items[3].id");
    expect(await backend.getResults([generated], { keep: true })).toEqual([null]);
  });

  it("retries it like a task error while doRetry allows", async () => {
    const { broker, backend, statusTracker, resultStore } = setup();
    const t = task(broker, { baseTask: Observed, maxRetries: 1, backoff: null, resultStore, statusTracker }, function bigIntRetried() {
      return bigIntItems();
    });
    const generated = await t.generate();
    expect((await runInline(t, await claimOne(broker))).disposition).toBe("retried");
    expect(statusTracker.of(generated).at(-1)).toBe("RETRYING");
    expect((await backend.getMessage(generated))?.retries).toBe(1);
    expect((await runInline(t, await claimOne(broker))).disposition).toBe("failed");
    expect(Observed.seen.map((s) => s.hook)).toEqual(["onRetry", "onFailure"]);
    for (const { error } of Observed.seen) expect(error).toBeInstanceOf(ResultSerializationError);
  });

  it("fails the attempt when the callback message carrying the result cannot be stored, submitting no callback", async () => {
    const { broker, backend } = setup();
    const t = task(broker, { baseTask: Observed, maxRetries: 0 }, function bigIntForCallback() {
      return bigIntItems();
    });
    const next = task(broker, function receiveResult() {});
    const generated = await t.generate({ callback: await next.defer().generate() });
    expect((await runInline(t, await claimOne(broker))).disposition).toBe("failed");
    const error = Observed.seen[0]?.error as ResultSerializationError;
    expect(error).toBeInstanceOf(ResultSerializationError);
    expect(error.path).toBe("previousResult.items[3].id");
    expect(error.message).toContain("callback message to task 'receiveResult'");
    expect(await backend.countQueue("alsek_queue")).toMatchObject({ ready: 0, delayed: 0, active: 0, dead: 1 });
    expect(await broker.inDlq(generated)).toBe(true);
  });

  it("stores the same result unchanged under a SuperJsonSerializer", async () => {
    const { broker, backend, resultStore } = setup(new MemoryBackend({ serializer: new SuperJsonSerializer() }));
    const t = task(broker, { maxRetries: 0, resultStore }, function bigIntKept() {
      return bigIntItems();
    });
    const generated = await t.generate();
    expect((await runInline(t, await claimOne(broker))).disposition).toBe("succeeded");
    const [stored] = await backend.getResults([generated], { keep: true });
    expect(stored?.value).toEqual(bigIntItems());
  });

  it("still rejects when the ack fails for another reason, leaving the message to its lease", async () => {
    class FailingAck extends MemoryBackend {
      override ack(_target: Lease | MessageRef, _options?: AckOptions): Promise<WriteOutcome> {
        return Promise.reject(new BackendError("connection lost"));
      }
    }
    const { broker, backend, resultStore } = setup(new FailingAck());
    const t = task(broker, { maxRetries: 0, resultStore }, function storable() {
      return { fine: true };
    });
    const generated = await t.generate();
    await expect(runInline(t, await claimOne(broker))).rejects.toThrow(BackendError);
    expect((await backend.getMessage(generated))?.uuid).toBe(generated.uuid);
    expect(await broker.inDlq(generated)).toBe(false);
  });
});
