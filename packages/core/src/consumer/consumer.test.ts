import { afterEach, describe, expect, it, vi } from "vitest";
import { replaceMemoryPayload } from "../__fixtures__/replace-memory-payload.js";
import { Broker } from "../broker/index.js";
import { ValidationError } from "../errors/index.js";
import { MemoryBackend } from "../memory/index.js";
import { Message } from "../messages/index.js";
import type { RejectedMessage } from "../backend/index.js";
import { Consumer, LeaseRenewer } from "./index.js";

const backends: MemoryBackend[] = [];
function setup() {
  const backend = new MemoryBackend();
  backends.push(backend);
  return { backend, broker: new Broker(backend) };
}
afterEach(async () => {
  await Promise.all(backends.splice(0).map((b) => b.close()));
});

const msg = (queue: string, priority = 0, taskName = "t") => new Message({ taskName, queue, priority });


describe("Consumer", () => {
  it("hands a message the backend could not decode to onRejected, and claims on without waiting", async () => {
    const { backend, broker } = setup();
    const messages = [msg("q"), msg("q"), msg("q"), msg("q")];
    for (const m of messages) await broker.submit(m);
    await replaceMemoryPayload(backend, messages[1]!, '{"taskName":');
    const rejected: RejectedMessage[] = [];
    // An idle wait would outlast the test: a claim filled by a rejected message must not wait.
    const consumer = new Consumer(broker, { queues: ["q"], maxIdleWaitMs: 600_000, onRejected: (r) => rejected.push(r) });
    const claimed = await consumer.claim(2);
    expect(claimed.map((m) => m.uuid)).toEqual([messages[0]!.uuid]);
    expect(rejected.map((r) => [r.uuid, r.error.name])).toEqual([[messages[1]!.uuid, "MessageDecodeError"]]);
    await consumer.waitForWork();
    expect((await consumer.claim(5)).map((m) => m.uuid)).toEqual([messages[2]!.uuid, messages[3]!.uuid]);
    const dead = await backend.getDeadLetter(messages[1]!);
    expect(dead?.metadata?.rawPayload).toBe('{"taskName":');
    await consumer.close();
  });

  it("drops an undecodable message instead of dead-lettering it when its broker's DLQ is off", async () => {
    const backend = new MemoryBackend();
    backends.push(backend);
    const broker = new Broker(backend, { dlqTtl: null });
    const message = msg("q");
    await broker.submit(message);
    await replaceMemoryPayload(backend, message, "null");
    const consumer = new Consumer(broker, { queues: ["q"] });
    expect(await consumer.claim(1)).toEqual([]);
    expect(await backend.countQueue("q")).toEqual({ ready: 0, delayed: 0, active: 0, dead: 0 });
    await consumer.close();
  });

  it("leaves the messages of its skipTasks for another consumer, in place", async () => {
    const { broker } = setup();
    const other = msg("q", 0, "other");
    const mine = msg("q", 0, "mine");
    for (const m of [other, mine]) await broker.submit(m);
    const skipping = new Consumer(broker, { queues: ["q"], skipTasks: ["other"] });
    expect((await skipping.claim(5)).map((m) => m.uuid)).toEqual([mine.uuid]);
    const plain = new Consumer(broker, { queues: ["q"] });
    expect((await plain.claim(5)).map((m) => m.uuid)).toEqual([other.uuid]);
    await skipping.close();
    await plain.close();
  });

  it("refuses skipTasks that are not task names with a ValidationError", () => {
    const { broker } = setup();
    expect(() => new Consumer(broker, { queues: ["q"], skipTasks: ["not a task"] })).toThrow(ValidationError);
  });

  it("claims in queue order, then priority, then arrival, each under a lease", async () => {
    const { broker } = setup();
    const b1 = msg("b");
    const a2 = msg("a", 2);
    const a1 = msg("a", 1);
    const a1later = msg("a", 1);
    for (const m of [b1, a2, a1, a1later]) await broker.submit(m);
    const consumer = new Consumer(broker, { queues: ["a", "b"] });
    const claimed = await consumer.claim(10);
    expect(claimed.map((m) => m.uuid)).toEqual([a1.uuid, a1later.uuid, a2.uuid, b1.uuid]);
    for (const m of claimed) {
      expect(m.lease).toMatchObject({ queue: m.queue, uuid: m.uuid });
      expect(m.expiredLeases).toBe(0);
    }
    expect(await consumer.claim(1)).toEqual([]);
    await consumer.close();
  });

  it("matches queue names exactly", async () => {
    const { broker } = setup();
    await broker.submit(msg("q10"));
    const consumer = new Consumer(broker, { queues: ["q1"] });
    expect(await consumer.claim(5)).toEqual([]);
    await consumer.close();
  });

  it("consumes every queue alphabetically when none are given", async () => {
    const { broker } = setup();
    const z = msg("zeta");
    const a = msg("alpha");
    await broker.submit(z);
    await broker.submit(a);
    const consumer = new Consumer(broker);
    expect((await consumer.claim(5)).map((m) => m.queue)).toEqual(["alpha", "zeta"]);
    expect(consumer.queues).toEqual(["alpha", "zeta"]);
    await consumer.close();
  });

  it("gives one message to one consumer only", async () => {
    const { broker } = setup();
    await broker.submit(msg("q"));
    const one = new Consumer(broker, { queues: ["q"] });
    const two = new Consumer(broker, { queues: ["q"] });
    const [first, second] = await Promise.all([one.claim(1), two.claim(1)]);
    expect(first.length + second.length).toBe(1);
    await Promise.all([one.close(), two.close()]);
  });

  it("does not wait after a claim that took all it asked for", async () => {
    const { broker } = setup();
    await broker.submit(msg("q"));
    await broker.submit(msg("q"));
    const consumer = new Consumer(broker, { queues: ["q"], maxIdleWaitMs: 60_000 });
    expect(await consumer.claim(2)).toHaveLength(2);
    await consumer.waitForWork();
    await consumer.close();
  });

  it("after a claim that found fewer than asked, waits for new work instead of claiming for nothing", async () => {
    const { broker } = setup();
    await broker.submit(msg("q"));
    const consumer = new Consumer(broker, { queues: ["q"], maxIdleWaitMs: 60_000 });
    expect(await consumer.claim(5)).toHaveLength(1);
    let woke = false;
    const waiting = consumer.waitForWork().then(() => (woke = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(woke).toBe(false);
    const next = msg("q");
    await broker.submit(next);
    await waiting;
    expect((await consumer.claim(5)).map((m) => m.uuid)).toEqual([next.uuid]);
    await consumer.close();
  });

  it("after a short claim, does not wait when work arrived while it was claiming", async () => {
    const { backend, broker } = setup();
    const consumer = new Consumer(broker, { queues: ["q"], maxIdleWaitMs: 60_000 });
    await broker.submit(msg("q"));
    // The submit lands after the claim read the queue but before the consumer waits.
    const claim = backend.claim.bind(backend);
    backend.claim = async (request) => {
      const result = await claim(request);
      await broker.submit(msg("q"));
      return result;
    };
    expect(await consumer.claim(5)).toHaveLength(1);
    backend.claim = claim;
    await consumer.waitForWork();
    expect(await consumer.claim(5)).toHaveLength(1);
    await consumer.close();
  });

  it("combines a caller's signal with its own once, not on every idle wait", async () => {
    // Node 20's AbortSignal.any costs ~20 µs a call and keeps its signals alive while the sources
    // live: one per idle wait grew a trickle-fed pool's heap without bound.
    const { broker } = setup();
    const consumer = new Consumer(broker, { queues: ["q"], maxIdleWaitMs: 1 });
    const stop = new AbortController();
    const any = vi.spyOn(AbortSignal, "any");
    try {
      for (let i = 0; i < 20; i++) {
        expect(await consumer.claim(1)).toEqual([]);
        await consumer.waitForWork(stop.signal);
      }
      expect(any.mock.calls.length).toBeLessThanOrEqual(1);
    } finally {
      any.mockRestore();
    }
    // The combined signal still ends a wait, from either side.
    const long = new Consumer(broker, { queues: ["q"], maxIdleWaitMs: 600_000 });
    expect(await long.claim(1)).toEqual([]);
    const aborted = long.waitForWork(stop.signal);
    stop.abort();
    await aborted;
    const other = new AbortController();
    expect(await long.claim(1)).toEqual([]);
    const closed = long.waitForWork(other.signal);
    await long.close();
    await closed;
    await consumer.close();
  });

  it("wakes up from an idle wait when a message is submitted", async () => {
    const { broker } = setup();
    const consumer = new Consumer(broker, { queues: ["q"], maxIdleWaitMs: 60_000 });
    expect(await consumer.claim(1)).toEqual([]);
    const waiting = consumer.waitForWork();
    await broker.submit(msg("q"));
    await waiting;
    expect(await consumer.claim(1)).toHaveLength(1);
    await consumer.close();
  });

  it("streams messages one at a time until aborted", async () => {
    const { broker } = setup();
    const sent = [msg("q"), msg("q"), msg("q")];
    for (const m of sent) await broker.submit(m);
    const consumer = new Consumer(broker, { queues: ["q"] });
    const controller = new AbortController();
    const got: string[] = [];
    for await (const message of consumer.stream({ signal: controller.signal })) {
      got.push(message.uuid);
      await broker.ack(message);
      if (got.length === 3) controller.abort();
    }
    expect(got).toEqual(sent.map((m) => m.uuid));
    await consumer.close();
  });

  it("ends a stream waiting for work when closed", async () => {
    const { broker } = setup();
    const consumer = new Consumer(broker, { queues: ["q"], maxIdleWaitMs: 60_000 });
    const iterator = consumer.stream()[Symbol.asyncIterator]();
    const next = iterator.next();
    await new Promise((r) => setTimeout(r, 10));
    await consumer.close();
    expect(await next).toEqual({ done: true, value: undefined });
  });

  it("rejects duplicate queues and a bad limit", async () => {
    const { broker } = setup();
    expect(() => new Consumer(broker, { queues: ["a", "a"] })).toThrow(ValidationError);
    const consumer = new Consumer(broker);
    await expect(consumer.claim(0)).rejects.toThrow(/limit/);
    await consumer.close();
  });
});

describe("LeaseRenewer", () => {
  it("renews leases in one batch so claimed messages stay claimed", async () => {
    const { broker } = setup();
    await broker.submitMany([msg("q"), msg("q")]);
    const consumer = new Consumer(broker, { queues: ["q"], leaseMs: 60 });
    const claimed = await consumer.claim(2);
    const renewer = new LeaseRenewer(broker.backend, { leaseMs: 60, intervalMs: 15 });
    for (const m of claimed) renewer.add(m);
    expect(renewer.size).toBe(2);
    renewer.start();
    await new Promise((r) => setTimeout(r, 200));
    renewer.stop();
    expect(await new Consumer(broker, { queues: ["q"] }).claim(2)).toEqual([]);
    for (const m of claimed) expect(await broker.ack(m)).toBe("ok");
    await consumer.close();
  });

  it("reports a lease that is gone and stops renewing it", async () => {
    const { broker } = setup();
    await broker.submit(msg("q"));
    const consumer = new Consumer(broker, { queues: ["q"] });
    const [message] = await consumer.claim(1);
    const lost: string[] = [];
    const renewer = new LeaseRenewer(broker.backend, { leaseMs: 30_000, onLost: (m, state) => lost.push(`${m.uuid}:${state}`) });
    renewer.add(message!);
    const bare = message!.clone();
    await broker.remove(bare);
    await renewer.renewNow();
    expect(lost).toEqual([`${message!.uuid}:gone`]);
    expect(renewer.size).toBe(0);
    await consumer.close();
  });

  it("does not report a message deleted after it was settled", async () => {
    const { broker } = setup();
    await broker.submit(msg("q"));
    const consumer = new Consumer(broker, { queues: ["q"] });
    const [message] = await consumer.claim(1);
    const lost: string[] = [];
    const renewer = new LeaseRenewer(broker.backend, { leaseMs: 30_000, onLost: (m) => lost.push(m.uuid) });
    renewer.add(message!);
    await broker.ack(message!);
    expect(renewer.delete(message!)).toBe(true);
    await renewer.renewNow();
    expect(lost).toEqual([]);
    await consumer.close();
  });

  it("refuses a message without a lease", () => {
    const { backend } = setup();
    expect(() => new LeaseRenewer(backend, { leaseMs: 1_000 }).add(msg("q"))).toThrow(/no lease/);
  });
});
