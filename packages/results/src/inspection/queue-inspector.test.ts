import { expect, it } from "vitest";
import {
  Broker,
  Consumer,
  MessageAlreadyExistsError,
  TaskStatus,
  ValidationError,
  runInline,
  task,
} from "@alsek/core";
import type { Message, Task } from "@alsek/core";
import { describeOnBackends } from "../__tests__/backend-cases.js";
import { ResultStore, StatusTracker } from "../index.js";
import { QueueInspector, TASK_FILTER_SCAN_BUDGET } from "./index.js";

let names = 0;
const settle = (definedTask: unknown, message: Message) => runInline(definedTask as Task, message);

describeOnBackends("QueueInspector", ({ backend }) => {
  function setup() {
    const id = ++names;
    const queue = `inspect_q${id}`;
    const broker = new Broker(backend());
    const statusTracker = new StatusTracker(backend());
    const resultStore = new ResultStore(backend());
    const consumer = new Consumer(broker, { queues: [queue], leaseMs: 60_000 });
    let failing = true;
    const flaky = task(
      broker,
      { name: `flaky${id}`, queue, statusTracker, resultStore, maxRetries: 0 },
      function flaky(n: number) {
        if (failing) throw new TypeError(`<script>alert(${n})</script> failed`);
        return n * 2;
      },
    );
    const double = task(broker, { name: `double${id}`, queue, statusTracker, resultStore }, function double(n: number) {
      return n * 2;
    });
    const runNext = async (definedTask: unknown, limit = 1): Promise<Message[]> => {
      const claimed = await consumer.claim(limit);
      for (const message of claimed) await settle(definedTask, message);
      return claimed;
    };
    const inspector = new QueueInspector(backend());
    return {
      id, queue, broker, statusTracker, resultStore, consumer, flaky, double, runNext, inspector,
      succeedFromNowOn: () => (failing = false),
    };
  }

  it("lists queues with counts per state and the age of the ready line's head", async () => {
    const { queue, double, consumer, inspector } = setup();
    const first = await double.generate({ args: [1] });
    await double.generate({ args: [2] });
    await double.generate({ args: [3], delay: 3_600_000 });
    await consumer.claim(1);
    const summary = (await inspector.listQueues()).find((q) => q.queue === queue);
    expect(summary).toMatchObject({
      queue,
      counts: { ready: 1, delayed: 1, active: 1, deadLettered: 0 },
      paused: false,
    });
    expect(summary!.oldestReadyAgeMs).toBeGreaterThanOrEqual(0);
    expect(summary!.oldestReadyAgeMs).toBeLessThanOrEqual(Date.now() - first.createdAt + 1);
    await consumer.close();
  });

  it("shows and changes whether a queue is paused, and shows its rate limits", async () => {
    const { queue, double, broker, inspector } = setup();
    await double.generate({ args: [1] });
    const summary = async () => (await inspector.listQueues()).find((q) => q.queue === queue);
    expect(await summary()).toMatchObject({ paused: false, rateLimit: null, taskRateLimits: {} });
    await inspector.pause(queue);
    await broker.setRateLimit(queue, { max: 10, durationMs: 1_000 });
    await broker.setRateLimit(queue, { max: 2, durationMs: 5_000 }, { task: double.name });
    expect(await summary()).toMatchObject({
      paused: true,
      rateLimit: { max: 10, durationMs: 1_000 },
      taskRateLimits: { [double.name]: { max: 2, durationMs: 5_000 } },
    });
    expect(await broker.isPaused(queue)).toBe(true);
    await inspector.resume(queue);
    expect((await summary())?.paused).toBe(false);
  });

  it("pages a state newest first and summarizes each message", async () => {
    const { queue, double, inspector } = setup();
    const messages = [];
    for (let n = 0; n < 5; n++) messages.push(await double.generate({ args: [n] }));
    const page1 = await inspector.listMessages(queue, { state: "ready", order: "newest", limit: 3 });
    expect(page1.items.map((i) => i.uuid)).toEqual(messages.slice(2).reverse().map((m) => m.uuid));
    expect(page1.items[0]).toMatchObject({
      queue, taskName: double.name, state: "ready", priority: 0, retries: 0, leaseExpiresAt: null, errorName: null,
    });
    const page2 = await inspector.listMessages(queue, { state: "ready", order: "newest", limit: 3, cursor: page1.nextCursor });
    expect(page2.items.map((i) => i.uuid)).toEqual([messages[1]!.uuid, messages[0]!.uuid]);
    expect(page2.nextCursor).toBeNull();
    const defaults = await inspector.listMessages(queue, { state: "ready" });
    expect(defaults.items.map((i) => i.uuid)).toEqual(messages.map((m) => m.uuid));
  });

  it("filters by task name within a bounded scan and hands back a cursor to continue", async () => {
    const { queue, double, flaky, broker, inspector } = setup();
    const noise = Array.from({ length: TASK_FILTER_SCAN_BUDGET + 50 }, (_, n) => double.defer().generate({ args: [n], submit: false }));
    await broker.submitMany(await Promise.all(noise));
    const wanted = [await flaky.generate({ args: [1] }), await flaky.generate({ args: [2] })];
    const first = await inspector.listMessages(queue, { state: "ready", taskName: flaky.name, limit: 10 });
    expect(first.items).toEqual([]);
    expect(first.nextCursor).not.toBeNull();
    const second = await inspector.listMessages(queue, { state: "ready", taskName: flaky.name, limit: 1, cursor: first.nextCursor });
    expect(second.items.map((i) => i.uuid)).toEqual([wanted[0]!.uuid]);
    const third = await inspector.listMessages(queue, { state: "ready", taskName: flaky.name, limit: 10, cursor: second.nextCursor });
    expect(third.items.map((i) => i.uuid)).toEqual([wanted[1]!.uuid]);
    expect(third.nextCursor).toBeNull();
  });

  it("shows a dead letter's data, error, attempts and status, and a result without consuming it", async () => {
    const { queue, flaky, double, runNext, inspector, resultStore, consumer } = setup();
    const doomed = await flaky.generate({ args: [7] });
    await runNext(flaky);
    const detail = await inspector.getMessage(queue, doomed.uuid);
    expect(detail).toMatchObject({
      uuid: doomed.uuid,
      state: "dead",
      taskName: flaky.name,
      attempts: 1,
      errorName: "TypeError",
      error: { name: "TypeError", text: "<script>alert(7)</script> failed" },
      result: { present: false },
      callbacks: [],
      descendants: [],
    });
    expect(detail!.data.args).toEqual([7]);
    expect(detail!.status?.status).toBe(TaskStatus.FAILED);
    expect(detail!.deadLetterExpiresAt).toBeGreaterThan(Date.now());

    const chain = [await double.defer().generate({ args: [2] })];
    const root = await double.generate({ args: [1], callback: chain });
    const queued = await inspector.getMessage(queue, root.uuid);
    expect(queued).toMatchObject({ state: "ready", attempts: 0, callbacks: [{ queue, uuid: chain[0]!.uuid, taskName: double.name }] });
    expect(queued!.status?.status).toBe(TaskStatus.SUBMITTED);
    await runNext(double);
    await runNext(double);
    expect(await inspector.getMessage(queue, root.uuid)).toBeNull();
    const outcome = await inspector.getOutcome(queue, root.uuid);
    expect(outcome).toMatchObject({ result: { present: true, value: 2 }, descendants: [chain[0]!.uuid] });
    expect(outcome.status?.status).toBe(TaskStatus.SUCCEEDED);
    expect(await resultStore.get(root, { keep: true })).toBe(2);
    expect(await inspector.getOutcome(queue, "no-such-uuid")).toEqual({ status: null, progress: null, result: { present: false }, descendants: [] });
    expect(await inspector.getMessage(queue, "no-such-uuid")).toBeNull();
    await consumer.close();
  });

  it("reads a message's result without consuming it", async () => {
    const { queue, double, inspector, consumer } = setup();
    const first = await double.generate({ args: [5], delay: 3_600_000 });
    // A result stored while the message is still queued (e.g. a trigger's own result).
    await new ResultStore(inspector.backend).set(first, 99);
    const twice = [await inspector.getMessage(queue, first.uuid), await inspector.getMessage(queue, first.uuid)];
    for (const detail of twice) expect(detail!.result).toEqual({ present: true, value: 99 });
    expect(twice[0]!.state).toBe("delayed");
    await consumer.close();
  });

  it("redrives a dead letter back to its queue with retries reset and status SUBMITTED, and it then runs", async () => {
    const { queue, flaky, runNext, inspector, statusTracker, resultStore, succeedFromNowOn, consumer } = setup();
    const doomed = await flaky.generate({ args: [4] });
    await runNext(flaky);
    expect((await inspector.getMessage(queue, doomed.uuid))!.state).toBe("dead");
    expect(await inspector.redrive(queue, doomed.uuid)).toBe(true);
    expect(await inspector.redrive(queue, doomed.uuid)).toBe(false);
    const back = await inspector.getMessage(queue, doomed.uuid);
    expect(back).toMatchObject({ state: "ready", retries: 0, error: null });
    expect((await statusTracker.get(doomed)).status).toBe(TaskStatus.SUBMITTED);
    succeedFromNowOn();
    await runNext(flaky);
    expect((await statusTracker.get(doomed)).status).toBe(TaskStatus.SUCCEEDED);
    expect(await resultStore.get(doomed)).toBe(8);
    await consumer.close();
  });

  it("redrives and deletes dead letters in bulk by task name, returning counts", async () => {
    const { queue, flaky, double, broker, inspector, consumer } = setup();
    const doomed = [];
    for (let n = 0; n < 3; n++) doomed.push(await flaky.generate({ args: [n] }));
    const other = await double.generate({ args: [1] });
    await broker.fail(other);
    for (const message of doomed) await broker.fail(message);
    expect((await backend().countQueue(queue)).dead).toBe(4);
    expect(await inspector.redriveDeadLetters(queue, { taskName: flaky.name })).toBe(3);
    expect((await backend().countQueue(queue)).ready).toBe(3);
    expect(await inspector.deleteDeadLetters(queue, { taskName: flaky.name })).toBe(0);
    expect(await inspector.deleteDeadLetter(queue, other.uuid)).toBe(true);
    expect(await inspector.deleteDeadLetter(queue, other.uuid)).toBe(false);
    for (const message of doomed) await broker.fail(message);
    expect(await inspector.deleteDeadLetters(queue)).toBe(3);
    expect((await backend().countQueue(queue)).dead).toBe(0);
    await consumer.close();
  });

  it("refuses to redrive over a different queued message with the same uuid", async () => {
    const { queue, double, broker, inspector } = setup();
    const message = await double.generate({ args: [1] });
    await broker.fail(message);
    await double.generate({ args: [2], uuid: message.uuid });
    await expect(inspector.redrive(queue, message.uuid)).rejects.toBeInstanceOf(MessageAlreadyExistsError);
    expect((await inspector.getMessage(queue, message.uuid))!.data.args).toEqual([2]);
  });

  it("revokes a queued message as task.revoke does: flagged, dead-lettered with RevokedError, status FAILED", async () => {
    const { queue, double, inspector, statusTracker } = setup();
    const message = await double.generate({ args: [1] });
    expect(await inspector.revoke(queue, message.uuid)).toBe(true);
    expect(await double.isRevoked(message)).toBe(true);
    expect(await inspector.getMessage(queue, message.uuid)).toMatchObject({ state: "dead", errorName: "RevokedError" });
    expect((await statusTracker.get(message)).status).toBe(TaskStatus.FAILED);
    expect(await inspector.revoke(queue, message.uuid)).toBe(false);
    // A redriven revoked message runs again: the flag is cleared.
    expect(await inspector.redrive(queue, message.uuid)).toBe(true);
    expect(await double.isRevoked(message)).toBe(false);
  });

  it("retries a delayed message now, removes one, and purges a queue only with its name as confirmation", async () => {
    const { queue, double, inspector, consumer } = setup();
    const later = await double.generate({ args: [1], delay: 3_600_000 });
    const ready = await double.generate({ args: [2] });
    expect(await inspector.retryNow(queue, ready.uuid)).toBe(false);
    expect(await inspector.retryNow(queue, later.uuid)).toBe(true);
    expect((await inspector.getMessage(queue, later.uuid))!.state).toBe("ready");
    expect(await inspector.remove(queue, ready.uuid)).toBe(true);
    expect(await inspector.remove(queue, ready.uuid)).toBe(false);
    for (let n = 0; n < 4; n++) await double.generate({ args: [n], delay: n % 2 === 0 ? 0 : 3_600_000 });
    await consumer.claim(1);
    await expect(inspector.purge(queue, { confirm: "another_queue" })).rejects.toBeInstanceOf(ValidationError);
    expect(await inspector.purge(queue, { confirm: queue })).toBe(5);
    expect(await backend().countQueue(queue)).toEqual({ ready: 0, delayed: 0, active: 0, dead: 0 });
    await consumer.close();
  });

  it("reports completions and failures of the last minutes", async () => {
    const { queue, flaky, double, runNext, inspector, consumer } = setup();
    await double.generate({ args: [1] });
    await double.generate({ args: [2] });
    await runNext(double, 2);
    await flaky.generate({ args: [3] });
    await runNext(flaky);
    const points = await inspector.throughput(queue, { minutes: 5 });
    expect(points).toHaveLength(5);
    const recent = points.slice(-2);
    expect(recent.reduce((n, p) => n + p.completed, 0)).toBe(2);
    expect(recent.reduce((n, p) => n + p.failed, 0)).toBe(1);
    expect(await inspector.throughput(queue)).toHaveLength(60);
    await consumer.close();
  });

  it("validates every call with a ValidationError that names the problem", async () => {
    const { queue, inspector } = setup();
    const calls: (() => Promise<unknown>)[] = [
      () => inspector.listMessages("bad queue", { state: "ready" }),
      () => inspector.listMessages(queue, { state: "ready", limit: 1_001 }),
      () => inspector.listMessages(queue, { state: "ready", cursor: "garbage" }),
      () => inspector.listMessages(queue, { state: "ready", taskName: "no spaces allowed" }),
      () => inspector.getMessage(queue, ""),
      () => inspector.redrive("q*", "x"),
      () => inspector.deleteDeadLetters(queue, { taskName: "" }),
      () => inspector.throughput(queue, { minutes: 61 }),
      () => inspector.purge(queue, {} as { confirm: string }),
    ];
    for (const call of calls) await expect(call()).rejects.toBeInstanceOf(ValidationError);
    await expect(inspector.listMessages(queue, { state: "ready", limit: 0 })).rejects.toThrow(/page size 0: use an integer from 1 to 1000/);
  });
});
