import { afterEach, describe, expect, it } from "vitest";
import { Broker } from "../broker/index.js";
import { MessageAlreadyExistsError, RevokedError, SchedulingError, ValidationError } from "../errors/index.js";
import { MemoryBackend } from "../memory/index.js";
import { Message } from "../messages/index.js";
import { IntervalTrigger } from "../triggers/index.js";
import { RecordingStatusSink } from "../__fixtures__/recording-sinks.js";
import { ConstantBackoff } from "../backoff/index.js";
import { TaskStatus, statusRank, type StatusSink } from "../status/index.js";
import { Task, TriggerTask, getRegisteredTask, registeredTasks, task } from "./index.js";

const backends: MemoryBackend[] = [];
function setup() {
  const backend = new MemoryBackend();
  backends.push(backend);
  const broker = new Broker(backend);
  return { backend, broker };
}
afterEach(async () => {
  await Promise.all(backends.splice(0).map((b) => b.close()));
});

describe("task()", () => {
  it("returns a task that is still callable as the function itself", () => {
    const { broker } = setup();
    const add = task(broker, { queue: "math_ops" }, function add(a: number, b: number) {
      return a + b;
    });
    expect(add(1, 1)).toBe(2);
    expect(typeof add).toBe("function");
    expect(add).toBeInstanceOf(Task);
    expect(add.name).toBe("add");
    expect(add.queue).toBe("math_ops");
    expect(add.call(null, 2, 3)).toBe(5);
  });

  it("applies the documented defaults", () => {
    const { broker } = setup();
    const t = task(broker, function simpleTask() {
      return 99;
    });
    expect(t.queue).toBe("alsek_queue");
    expect(t.timeout).toBe(3_600_000);
    expect(t.maxRetries).toBe(3);
    expect(t.mechanism).toBe("process");
    expect(t.backoff.settings.algorithm).toBe("ExponentialBackoff");
    expect(t.passMessage).toBe(false);
  });

  it("records the module that defined it and registers it process-wide", () => {
    const { broker } = setup();
    const t = task(broker, { name: "registered_task_1" }, () => 1);
    expect(t.moduleUrl).toBe(new URL(import.meta.url).href.replace(/[?#].*$/, ""));
    expect(getRegisteredTask("registered_task_1")).toBe(t);
    expect(registeredTasks()).toContain(t);
    const registry = (globalThis as Record<symbol, Map<string, unknown>>)[Symbol.for("alsek.tasks")];
    expect(registry?.get("registered_task_1")).toBe(t);
  });

  it("requires a name for anonymous functions and validates names", () => {
    const { broker } = setup();
    expect(() => task(broker, () => 1)).toThrow(/anonymous functions need a `name`/);
    expect(() => task(broker, { name: "bad name" }, () => 1)).toThrow(ValidationError);
    expect(() => task(broker, { name: "t", queue: "q:1" }, () => 1)).toThrow(/Invalid queue name/);
    expect(() => task(broker, { name: "t", mechanism: "fiber" as never }, () => 1)).toThrow(/unsupported mechanism/);
  });

  it("says an empty name option is empty, not that the function is anonymous", () => {
    const { broker } = setup();
    expect(() => task(broker, { name: "" }, function f() {})).toThrow(/`name` option is an empty string/);
    expect(() => task(broker, { name: "" }, function f() {})).not.toThrow(/anonymous/);
  });

  it("checks every numeric option at definition, naming the option and its allowed range", () => {
    const { broker } = setup();
    const define = (options: Parameters<typeof task>[1] & object) => () => task(broker, options, function numeric() {});
    expect(define({ maxRetries: -1 })).toThrow(ValidationError);
    expect(define({ maxRetries: -1 })).toThrow(/`maxRetries` must be an integer ≥ 0 .*got -1/);
    expect(define({ maxRetries: 1.5 })).toThrow(/`maxRetries`/);
    expect(define({ maxRetries: Number.NaN })).toThrow(/`maxRetries`/);
    expect(define({ timeout: 0 })).toThrow(/`timeout` must be an integer number of ms from 1 to 2147483647, got 0/);
    expect(define({ timeout: 2 ** 31 })).toThrow(/`timeout`.*from 1 to 2147483647/);
    expect(define({ timeout: "10" as never })).toThrow(/`timeout`.*got "10"/);
    expect(define({ backoff: { get: () => 0 } as never })).toThrow(/`backoff` must be a Backoff/);
    class BrokenBackoff extends ConstantBackoff {
      protected override algorithmParameters(): Record<string, number> {
        return { constant: Number.NaN };
      }
    }
    expect(define({ backoff: new BrokenBackoff() })).toThrow(/`backoff.constant` must be a finite number ≥ 0, got NaN/);
    expect(() => new ConstantBackoff({ constant: -1 })).toThrow(/`constant` must be a finite number ≥ 0/);
    expect(define({ rateLimit: { max: 0, durationMs: 1_000 } })).toThrow(
      "Task 'numeric': `rateLimit.max` must be an integer from 1 to 100000, got 0.",
    );
    expect(define({ rateLimit: { max: 5 } as never })).toThrow(/`rateLimit.durationMs` must be an integer of ms from 1 to 86400000, got nothing/);
    expect(define({ rateLimit: 5 as never })).toThrow("Task 'numeric': a rate limit must be an object { max, durationMs }, got 5.");
    expect(task(broker, { name: "limited", rateLimit: { max: 5, durationMs: 1_000 } }, function limited() {}).rateLimit).toEqual({ max: 5, durationMs: 1_000 });
    expect(define({ maxRetries: 0, timeout: 1, backoff: null })).not.toThrow();
    expect(define({ maxRetries: null, name: "unlimited" })).not.toThrow();
  });

  it("uses a baseTask subclass whose hooks override the defaults", () => {
    const { broker } = setup();
    class CustomTask extends Task {
      override doRetry(): boolean {
        return false;
      }
    }
    const t = task(broker, { baseTask: CustomTask }, function customised() {
      return 1;
    });
    expect(t).toBeInstanceOf(CustomTask);
    expect(t.doRetry(new Message({ taskName: "customised" }), new Error())).toBe(false);
    expect(t()).toBe(1);
  });

  it("makes a trigger task, and rejects a trigger task with parameters at definition", () => {
    const { broker } = setup();
    const trigger = new IntervalTrigger({ hours: 1 });
    expect(task(broker, { trigger }, function noParams() {})).toBeInstanceOf(TriggerTask);
    expect(() => task(broker, { trigger }, function withParams(_a: number) {})).toThrow(SchedulingError);
  });
});

describe("Task.generate()", () => {
  it("submits a message built from the options and the task's settings", async () => {
    const { broker, backend } = setup();
    const add = task(broker, { queue: "math_ops", timeout: 90_000, backoff: null }, function add(a: number, b: number) {
      return a + b;
    });
    const message = await add.generate({ args: [1, 2], priority: 3, delay: 0, metadata: { by: "test" } });
    expect(message).toBeInstanceOf(Message);
    expect(message.taskName).toBe("add");
    expect(message.queue).toBe("math_ops");
    expect(message.args).toEqual([1, 2]);
    expect(message.timeout).toBe(90_000);
    expect(message.backoffSettings).toEqual(new ConstantBackoff({ constant: 0, floor: 0, ceiling: 0 }).settings);
    expect(await backend.getMessage(message)).toEqual(message.data);
  });

  it("honours uuid, queue and timeoutOverride, and submit: false builds only", async () => {
    const { broker, backend } = setup();
    const t = task(broker, function plain() {});
    const message = await t.generate({ uuid: "my-uuid", queue: "other", timeoutOverride: 5_000, submit: false });
    expect([message.uuid, message.queue, message.timeout]).toEqual(["my-uuid", "other", 5_000]);
    expect(await broker.exists(message)).toBe(false);
    expect(await backend.listQueues()).toEqual([]);
  });

  it("validates priority, resultTtl and delay", async () => {
    const { broker } = setup();
    const t = task(broker, function v() {});
    await expect(t.generate({ priority: -1 })).rejects.toThrow(/priority/);
    await expect(t.generate({ priority: 1.5 })).rejects.toThrow(ValidationError);
    await expect(t.generate({ priority: 2_097_152 })).rejects.toThrow(/2097151.*Redis score/);
    await expect(t.generate({ priority: 2_097_151, submit: false })).resolves.toBeInstanceOf(Message);
    await expect(t.generate({ resultTtl: 1_000 })).rejects.toThrow(/result store/);
    await expect(t.generate({ delay: -5 })).rejects.toThrow(/`delay` must be a finite number of ms ≥ 0, got -5/);
    await expect(t.generate({ delay: Number.POSITIVE_INFINITY })).rejects.toThrow(/`delay`/);
    await expect(t.generate({ timeoutOverride: 0 })).rejects.toThrow(/`timeoutOverride`.*from 1 to/);
    const stored = task(broker, { resultStore: { backend: broker.backend, prepare: () => ({ value: 1, ttlMs: null, progenitorUuid: null }) } }, function r() {});
    await expect(stored.generate({ resultTtl: -1 })).rejects.toThrow(/`resultTtl` must be an integer number of ms from 1/);
  });

  it("writes SUBMITTED and calls onSubmit once per submitted message", async () => {
    const { broker, backend } = setup();
    const submitted: string[] = [];
    class Hooked extends Task {
      override onSubmit(message: Message): void {
        submitted.push(message.uuid);
      }
    }
    const statusTracker = new RecordingStatusSink(backend);
    const t = task(broker, { baseTask: Hooked, statusTracker }, function hooked() {});
    const message = await t.generate();
    expect(submitted).toEqual([message.uuid]);
    expect(statusTracker.of(message)).toEqual(["SUBMITTED"]);
  });

  it("has the backend write SUBMITTED with the submit when its status sink can prepare it, on the broker's backend only", async () => {
    const { broker, backend } = setup();
    const sets: string[] = [];
    const sinkOn = (sinkBackend: MemoryBackend): StatusSink => ({
      backend: sinkBackend,
      prepare: (message, status) => ({
        key: `s:${message.uuid}`,
        value: TaskStatus[status],
        rank: statusRank(status, message.retries),
        ttlMs: null,
        channel: null,
      }),
      set: async (message, status) => {
        sets.push(`${message.uuid}:${TaskStatus[status]}`);
        return sinkBackend.setStatus(sinkOn(sinkBackend).prepare!(message, status));
      },
    });
    const together = task(broker, { statusTracker: sinkOn(backend) }, function together() {});
    const [first, second] = await together.generateMany([{}, {}]);
    expect(await backend.getValue(`s:${first!.uuid}`)).toBe("SUBMITTED");
    expect(await backend.getValue(`s:${second!.uuid}`)).toBe("SUBMITTED");
    expect(sets).toEqual([]);
    // A replayed submit writes nothing: the stored status goes on.
    await backend.setStatus({ key: `s:${first!.uuid}`, value: "RUNNING", rank: statusRank(TaskStatus.RUNNING, 0), ttlMs: null, channel: null });
    await broker.submit(first!, { status: sinkOn(backend).prepare!(first!, TaskStatus.SUBMITTED) });
    expect(await backend.getValue(`s:${first!.uuid}`)).toBe("RUNNING");

    const elsewhere = setup().backend;
    const apart = task(broker, { statusTracker: sinkOn(elsewhere) }, function apart() {});
    const third = await apart.generate();
    expect(await backend.getValue(`s:${third.uuid}`)).toBeUndefined();
    expect(await elsewhere.getValue(`s:${third.uuid}`)).toBe("SUBMITTED");
    expect(sets).toEqual([`${third.uuid}:SUBMITTED`]);
  });

  it("reports a different message under an existing uuid as a conflict", async () => {
    const { broker } = setup();
    const t = task(broker, function dup(n: number) {
      return n;
    });
    await t.generate({ args: [1], uuid: "same" });
    await expect(t.generate({ args: [2], uuid: "same" })).rejects.toThrow(MessageAlreadyExistsError);
  });

  it("defer() skips submission of the next generate only", async () => {
    const { broker } = setup();
    const t = task(broker, function deferred() {});
    const skipped = await t.defer().generate();
    expect(t.deferred).toBe(false);
    expect(await broker.exists(skipped)).toBe(false);
    const sent = await t.generate();
    expect(await broker.exists(sent)).toBe(true);
  });

  it("defers both messages when one task is nested by hand, as in the guided tour", async () => {
    const { broker } = setup();
    const t = task(broker, { passMessage: true }, function nestedStep(_m: Message) {});
    const outer = await t.defer().generate({ callback: await t.defer().generate() });
    expect(await broker.exists(outer)).toBe(false);
    expect(outer.callbackMessageData).not.toBeNull();
    expect(t.deferred).toBe(false);
    expect(await broker.exists(await t.generate())).toBe(true);
  });

  it("ends deferred mode even when generate throws", async () => {
    const { broker } = setup();
    const t = task(broker, function deferredThrow() {});
    await expect(t.defer().generate({ priority: -1 })).rejects.toThrow();
    expect(t.deferred).toBe(false);
  });

  it("generateMany submits a batch and returns the messages in order", async () => {
    const { broker, backend } = setup();
    const t = task(broker, { queue: "bulk" }, function square(n: number) {
      return n * n;
    });
    const messages = await t.generateMany([{ args: [1] }, { args: [2] }, { args: [3], submit: false }]);
    expect(messages.map((m) => m.args[0])).toEqual([1, 2, 3]);
    expect((await backend.countQueue("bulk")).ready).toBe(2);
  });
});

describe("callbacks", () => {
  it("chain an array of callbacks exactly like nesting them by hand", async () => {
    const { broker } = setup();
    const step = task(broker, { passMessage: true }, function step(_m: Message) {});
    const root = task(broker, function root() {});

    const [a, b, c] = [await step.defer().generate(), await step.defer().generate(), await step.defer().generate()];
    const fromArray = await root.generate({ callback: [a, b, c], submit: false });

    const c2 = new Message(c.data);
    c2.callbackMessageData = null;
    const b2 = new Message({ ...b.data, callbackMessageData: c2.data });
    const a2 = new Message({ ...a.data, callbackMessageData: b2.data });
    const nested = await root.generate({ callback: a2, submit: false });

    expect(fromArray.callbackMessageData).toEqual(nested.callbackMessageData);
    expect(fromArray.descendantUuids).toEqual([a.uuid, b.uuid, c.uuid]);
  });

  it("refuse an array item that already has a callback", async () => {
    const { broker } = setup();
    const step = task(broker, function step2() {});
    const withCallback = await step.generate({ submit: false, callback: await step.defer().generate() });
    const other = await step.defer().generate();
    await expect(step.generate({ callback: [other, withCallback] })).rejects.toThrow(/Existing callbacks/);
  });

  it("refuse a trigger task's message as a callback", async () => {
    const { broker } = setup();
    const triggered = task(broker, { name: "triggered_cb", trigger: new IntervalTrigger({ hours: 1 }) }, () => 1);
    const plain = task(broker, function plainCb() {});
    const triggerMessage = await triggered.generate({ submit: false });
    await expect(plain.generate({ callback: triggerMessage })).rejects.toThrow(/trigger task 'triggered_cb'/);
    triggered.shutdown();
  });
});

describe("revocation", () => {
  it("flags a queued message, fails it to the DLQ with RevokedError and records FAILED", async () => {
    const { broker, backend } = setup();
    const statusTracker = new RecordingStatusSink(backend);
    const t = task(broker, { statusTracker }, function revocable() {});
    const message = await t.generate();
    expect(await t.isRevoked(message)).toBe(false);
    await t.revoke(message);
    expect(await t.isRevoked(message)).toBe(true);
    expect(await backend.hasValue(`revoked:${message.queue}:${message.uuid}`)).toBe(true);
    expect(await broker.exists(message)).toBe(false);
    const dead = await broker.syncFromBackend(message);
    expect(dead.exceptionDetails?.name).toBe(RevokedError.name);
    expect(statusTracker.of(message)).toEqual(["SUBMITTED", "FAILED"]);
  });

  it("only flags a message that already finished", async () => {
    const { broker, backend } = setup();
    const statusTracker = new RecordingStatusSink(backend);
    const t = task(broker, { statusTracker }, function finished() {});
    const message = await t.generate();
    await broker.ack(message);
    await t.revoke(message);
    expect(await t.isRevoked(message)).toBe(true);
    expect(await broker.inDlq(message)).toBe(false);
    expect(statusTracker.of(message)).toEqual(["SUBMITTED"]);
  });
});

describe("module URL of tasks built with new", () => {
  it("records the module that constructed a Task subclass directly", () => {
    const { broker } = setup();
    class Sub extends Task {}
    const t = new Sub(broker, function direct() {}, {});
    expect(t.moduleUrl).toBe(new URL(import.meta.url).href.replace(/[?#].*$/, ""));
  });
});
