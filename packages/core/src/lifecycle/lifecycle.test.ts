import { afterEach, describe, expect, it } from "vitest";
import { Broker } from "../broker/index.js";
import { Consumer } from "../consumer/index.js";
import { BackendError, LeaseExpiredError, TaskTimeoutError } from "../errors/index.js";
import type { AckOptions, Lease, MessageRef, WriteOutcome } from "../backend/types.js";
import { MemoryBackend } from "../memory/index.js";
import { AttemptAbort, Message } from "../messages/index.js";
import { Task, task } from "../tasks/index.js";
import { PlainResultSink, RecordingStatusSink } from "../__fixtures__/recording-sinks.js";
import { MessageSettler, exceptionDetailsOf, runInline, runTask } from "./index.js";

const backends: MemoryBackend[] = [];
function setup() {
  const backend = new MemoryBackend();
  backends.push(backend);
  const broker = new Broker(backend);
  return { backend, broker, statusTracker: new RecordingStatusSink(backend), resultStore: new PlainResultSink(backend) };
}
afterEach(async () => {
  await Promise.all(backends.splice(0).map((b) => b.close()));
});

async function claimOne(broker: Broker, queue = "alsek_queue"): Promise<Message> {
  const consumer = new Consumer(broker, { queues: [queue] });
  const [message] = await consumer.claim(1);
  await consumer.close();
  if (!message) throw new Error("nothing to claim");
  return message;
}

describe("runTask", () => {
  it("runs preOp, the function and postOp in order, passing kwargs and the message last", async () => {
    const { broker } = setup();
    const calls: string[] = [];
    class Traced extends Task {
      override preOp(): void {
        calls.push("preOp");
      }
      override postOp(_m: Message, result: unknown): void {
        calls.push(`postOp:${String(result)}`);
      }
    }
    const greet = task(broker, { baseTask: Traced, passMessage: true }, function greet(name: string, options: { greeting: string }, message: Message) {
      calls.push("fn");
      return `${options.greeting} ${name} (${message.taskName})`;
    });
    const message = await greet.generate({ args: ["Ada"], kwargs: { greeting: "Hi" }, submit: false });
    const outcome = await runTask(greet, message);
    expect(outcome).toEqual({ ok: true, result: "Hi Ada (greet)" });
    expect(calls).toEqual(["preOp", "fn", "postOp:Hi Ada (greet)"]);
  });

  it("turns a thrown error into a failed outcome with exception details and never touches the broker", async () => {
    const { broker, backend } = setup();
    const boom = task(broker, function boom() {
      throw new RangeError("too far");
    });
    const message = await boom.generate();
    const outcome = await runTask(boom, message);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error).toBeInstanceOf(RangeError);
    expect(message.exceptionDetails).toMatchObject({ name: "RangeError", text: "too far" });
    expect(await backend.getMessage(message)).toEqual(expect.objectContaining({ retries: 0, exceptionDetails: null }));
  });

  it("awaits async functions", async () => {
    const { broker } = setup();
    const slow = task(broker, async function slow(n: number) {
      await new Promise((r) => setTimeout(r, 5));
      return n * 2;
    });
    expect(await runTask(slow, await slow.generate({ args: [21], submit: false }))).toEqual({ ok: true, result: 42 });
  });

  // A task without preOp/postOp takes the one-promise path: the same outcomes as the awaited one.
  it("turns a rejection into a failed outcome with exception details, and clears the abort switch either way", async () => {
    const { broker } = setup();
    const late = task(broker, async function late() {
      await new Promise((r) => setTimeout(r, 1));
      throw new TypeError("late");
    });
    const plain = task(broker, function plain() {
      return 1;
    });
    const failing = await late.generate({ submit: false });
    const outcome = await runTask(late, failing, { abort: new AttemptAbort() });
    expect(!outcome.ok && outcome.error).toBeInstanceOf(TypeError);
    expect(failing.exceptionDetails).toMatchObject({ name: "TypeError", text: "late" });
    expect(failing.attemptAbort).toBeNull();
    const passing = await plain.generate({ submit: false });
    passing.exceptionDetails = { name: "Error", text: "an earlier attempt's", traceback: null };
    expect(await runTask(plain, passing, { abort: new AttemptAbort() })).toEqual({ ok: true, result: 1 });
    expect(passing.exceptionDetails).toBeNull();
    expect(passing.attemptAbort).toBeNull();
  });

  it("awaits a thenable that is not a Promise, and fails (never throws) on a result whose `then` throws", async () => {
    const { broker } = setup();
    const thenable = task(broker, function thenable() {
      // biome-ignore lint/suspicious/noThenProperty: the point of the test is a thenable that is not a Promise
      return { then: (resolve: (value: number) => void) => setTimeout(() => resolve(7), 1) };
    });
    expect(await runTask(thenable, await thenable.generate({ submit: false }))).toEqual({ ok: true, result: 7 });
    const trap = task(broker, function trap() {
      // biome-ignore lint/suspicious/noThenProperty: a `then` getter that throws, on purpose
      return Object.defineProperty({}, "then", {
        get() {
          throw new Error("then getter");
        },
      });
    });
    const message = await trap.generate({ submit: false });
    const pending = runTask(trap, message);
    expect(pending).toBeInstanceOf(Promise);
    const outcome = await pending;
    expect(!outcome.ok && (outcome.error as Error).message).toBe("then getter");
    expect(message.exceptionDetails).toMatchObject({ text: "then getter" });
  });
});

describe("runInline settles like a pool would", () => {
  it("acks a success, stores the result, records RUNNING then SUCCEEDED and calls onSuccess", async () => {
    const { broker, backend, statusTracker, resultStore } = setup();
    const seen: unknown[] = [];
    class Hooked extends Task {
      override onSuccess(_m: Message, result: unknown): void {
        seen.push(result);
      }
    }
    const add = task(broker, { baseTask: Hooked, statusTracker, resultStore }, function add(a: number, b: number) {
      return a + b;
    });
    await add.generate({ args: [1, 2] });
    const message = await claimOne(broker);
    const outcome = await runInline(add, message);
    expect(outcome).toMatchObject({ ok: true, result: 3, disposition: "succeeded" });
    expect(await broker.exists(message)).toBe(false);
    expect(await backend.getResults([message], { keep: false })).toEqual([{ uuid: message.uuid, value: 3 }]);
    expect(statusTracker.of(message)).toEqual(["SUBMITTED", "RUNNING", "SUCCEEDED"]);
    expect(seen).toEqual([3]);
  });

  it("retries a failure with backoff until maxRetries, then fails it to the DLQ", async () => {
    const { broker, statusTracker } = setup();
    const failures: string[] = [];
    class Hooked extends Task {
      override onRetry(m: Message): void {
        failures.push(`retry:${m.retries}`);
      }
      override onFailure(m: Message): void {
        failures.push(`failure:${m.retries}`);
      }
    }
    const flaky = task(broker, { baseTask: Hooked, statusTracker, maxRetries: 2, backoff: null }, function flaky() {
      throw new Error("nope");
    });
    const generated = await flaky.generate();
    const dispositions: string[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const message = await claimOne(broker);
      dispositions.push((await runInline(flaky, message)).disposition);
    }
    expect(dispositions).toEqual(["retried", "retried", "failed"]);
    expect(failures).toEqual(["retry:0", "retry:1", "failure:2"]);
    expect(await broker.inDlq(generated)).toBe(true);
    const dead = await broker.syncFromBackend(generated);
    expect(dead.retries).toBe(2);
    expect(dead.exceptionDetails).toMatchObject({ name: "Error", text: "nope" });
    expect(statusTracker.of(generated)).toEqual(["SUBMITTED", "RUNNING", "RETRYING", "RUNNING", "RETRYING", "RUNNING", "FAILED"]);
  });

  it("schedules a retry at readyAt from the backoff", async () => {
    const { broker, backend } = setup();
    const t = task(broker, { maxRetries: 1 }, function backoffTask() {
      throw new Error("x");
    });
    await t.generate();
    const message = await claimOne(broker);
    await runInline(t, message);
    expect((await backend.countQueue("alsek_queue")).delayed).toBe(1);
    const stored = new Message((await backend.getMessage(message))!);
    expect(stored.retries).toBe(1);
    expect(stored.readyAt - stored.createdAt).toBe(60_000);
  });

  it("lets doRetry refuse a retry by error type", async () => {
    const { broker } = setup();
    class NoRangeRetry extends Task {
      override doRetry(_m: Message, error: unknown): boolean {
        return !(error instanceof RangeError);
      }
    }
    const t = task(broker, { baseTask: NoRangeRetry }, function ranged() {
      throw new RangeError("r");
    });
    const generated = await t.generate();
    expect((await runInline(t, await claimOne(broker))).disposition).toBe("failed");
    expect(await broker.inDlq(generated)).toBe(true);
  });

  it("submits the callback with previousResult and the root as progenitor, unless doCallback refuses", async () => {
    const { broker, backend } = setup();
    const received: unknown[] = [];
    const add1 = task(broker, function add1(n: number) {
      return n + 1;
    });
    const add1Previous = task(broker, { passMessage: true }, function add1Previous(message: Message) {
      return (message.previousResult as number) + 1;
    });
    const printResult = task(broker, { passMessage: true }, function printResult(message: Message) {
      received.push(message.previousResult);
    });
    const root = await add1.generate({
      args: [1],
      callback: [await add1Previous.defer().generate(), await add1Previous.defer().generate(), await printResult.defer().generate()],
    });
    const chain = [root.uuid, ...(root.descendantUuids ?? [])];
    const byName = new Map<string, Task>([["add1", add1], ["add1Previous", add1Previous], ["printResult", printResult]]);
    for (let i = 0; i < 4; i += 1) {
      const message = await claimOne(broker);
      expect(message.uuid).toBe(chain[i]);
      if (i > 0) {
        expect(message.progenitorUuid).toBe(root.uuid);
        expect(message.previousMessageUuid).toBe(chain[i - 1]);
      }
      await runInline(byName.get(message.taskName)!, message);
    }
    expect(received).toEqual([4]);
    expect((await backend.countQueue("alsek_queue")).ready).toBe(0);
  });

  it("does not submit the callback when doCallback returns false", async () => {
    const { broker, backend } = setup();
    class Picky extends Task {
      override doCallback(_m: Message, result: unknown): boolean {
        return (result as number) > 1;
      }
    }
    const one = task(broker, { baseTask: Picky }, function one() {
      return 1;
    });
    const next = task(broker, function nextStep() {});
    await one.generate({ callback: await next.defer().generate() });
    await runInline(one, await claimOne(broker));
    expect((await backend.countQueue("alsek_queue")).ready).toBe(0);
  });

  it("sends a revoked message's outcome to onRevocation and never retries it", async () => {
    const { broker, statusTracker } = setup();
    const revocations: unknown[] = [];
    class Hooked extends Task {
      override onRevocation(_m: Message, error: unknown): void {
        revocations.push(error);
      }
      override onRetry(): void {
        throw new Error("must not retry");
      }
    }
    const t = task(broker, { baseTask: Hooked, statusTracker, maxRetries: null }, function revokedWhileRunning() {
      throw new Error("stopped");
    });
    await t.generate();
    const message = await claimOne(broker);
    await t.revoke(message);
    expect((await runInline(t, message)).disposition).toBe("revoked");
    expect(revocations).toHaveLength(1);
    expect(await broker.exists(message)).toBe(false);
    expect(statusTracker.of(message).at(-1)).toBe("FAILED");
  });

  it("calls onRevocation when a revoked message succeeds, without storing its result", async () => {
    const { broker, backend, resultStore } = setup();
    const results: unknown[] = [];
    class Hooked extends Task {
      override onRevocation(_m: Message, _e: unknown, result: unknown): void {
        results.push(result);
      }
    }
    const t = task(broker, { baseTask: Hooked, resultStore }, function finishesAnyway() {
      return "late";
    });
    await t.generate();
    const message = await claimOne(broker);
    await t.revoke(message);
    expect((await runInline(t, message)).disposition).toBe("revoked");
    expect(results).toEqual(["late"]);
    expect(await backend.getResults([message], { keep: true })).toEqual([null]);
  });

  it("logs and survives a hook that throws", async () => {
    const { broker } = setup();
    class Broken extends Task {
      override onSuccess(): void {
        throw new Error("hook bug");
      }
    }
    const t = task(broker, { baseTask: Broken }, function brokenHook() {
      return 1;
    });
    await t.generate();
    expect((await runInline(t, await claimOne(broker))).disposition).toBe("succeeded");
  });
});

describe("MessageSettler", () => {
  it("fails an unknown task's message to the DLQ with a clear UnknownTaskError", async () => {
    const { broker } = setup();
    const settler = new MessageSettler();
    const message = new Message({ taskName: "ghost", queue: "q" });
    await broker.submit(message);
    expect(await settler.rejectUnknown(broker, message)).toBe("ok");
    const dead = await broker.syncFromBackend(message);
    expect(dead.exceptionDetails?.name).toBe("UnknownTaskError");
    expect(dead.exceptionDetails?.text).toBe(
      "Unknown task 'ghost' in queue 'q': no pool here registers it; message moved to the DLQ",
    );
  });

  it("fails a message whose leases kept expiring with LeaseExpiredError", async () => {
    const { broker, statusTracker } = setup();
    const settler = new MessageSettler({ maxExpiredLeases: 1 });
    const t = task(broker, { statusTracker }, function dies() {});
    const generated = await t.generate();
    const message = await claimOne(broker);
    message.expiredLeases = 2;
    expect(settler.exceededLeaseLimit(message)).toBe(true);
    expect(await settler.failExpired(t, message)).toBe("failed");
    expect((await broker.syncFromBackend(generated)).exceptionDetails?.name).toBe(LeaseExpiredError.name);
    expect(statusTracker.of(generated).at(-1)).toBe("FAILED");
  });

  it("settles a pool-made timeout outcome like any failure", async () => {
    const { broker } = setup();
    const t = task(broker, { maxRetries: 0 }, function hangs() {});
    const generated = await t.generate();
    const message = await claimOne(broker);
    const settler = new MessageSettler();
    expect(await settler.settle(t, message, { ok: false, error: new TaskTimeoutError("took too long") })).toBe("failed");
    expect((await broker.syncFromBackend(generated)).exceptionDetails?.name).toBe("TaskTimeoutError");
  });

  it("drops an outcome whose lease was lost to another consumer", async () => {
    const { broker } = setup();
    const t = task(broker, function lostLease() {
      return 1;
    });
    await t.generate();
    const message = await claimOne(broker);
    message.lease = { ...message.lease!, token: "someone-else" };
    expect(await new MessageSettler().settle(t, message, { ok: true, result: 1 })).toBe("lost");
    expect(await broker.exists(message)).toBe(true);
  });
});

describe("exceptionDetailsOf", () => {
  it("describes errors and non-errors", () => {
    expect(exceptionDetailsOf(new TypeError("bad"))).toMatchObject({ name: "TypeError", text: "bad" });
    expect(exceptionDetailsOf("plain")).toEqual({ name: "NonErrorThrown", text: "plain", traceback: null });
    expect(exceptionDetailsOf({ name: "X", message: "y" })).toEqual({ name: "X", text: "y", traceback: null });
  });
});

describe("exactly-once settlement", () => {
  /** Applies the first ack, then loses its reply: the call fails as a dropped connection would. */
  class ReplyLosingBackend extends MemoryBackend {
    lostReplies = 0;
    override async ack(target: Lease | MessageRef, options?: AckOptions): Promise<WriteOutcome> {
      const outcome = await super.ack(target, options);
      if (this.lostReplies > 0) return outcome;
      this.lostReplies += 1;
      throw new BackendError("Memory ack failed: connection reset (the write applied, its reply was lost)");
    }
  }

  it("sends an ack whose reply was lost again, and settles the attempt once: SUCCEEDED and onSuccess once", async () => {
    const backend = new ReplyLosingBackend();
    backends.push(backend);
    const broker = new Broker(backend);
    const statusTracker = new RecordingStatusSink(backend);
    const successes: unknown[] = [];
    class Counted extends Task {
      override onSuccess(_m: Message, result: unknown): void {
        successes.push(result);
      }
    }
    const add = task(broker, { baseTask: Counted, statusTracker, resultStore: new PlainResultSink(backend) }, function addTwice(a: number, b: number) {
      return a + b;
    });
    await add.generate({ args: [2, 3] });
    const message = await claimOne(broker);
    const outcome = await runInline(add, message);
    expect(backend.lostReplies).toBe(1);
    expect(outcome).toMatchObject({ ok: true, disposition: "succeeded" });
    expect(statusTracker.of(message)).toEqual(["SUBMITTED", "RUNNING", "SUCCEEDED"]);
    expect(successes).toEqual([5]);
    expect(await backend.getResults([message], { keep: false })).toEqual([{ uuid: message.uuid, value: 5 }]);
  });
});
