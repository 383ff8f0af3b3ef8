import { expect, it } from "vitest";
import { MAX_PRIORITY, ValidationError } from "@alsek/core";
import { messageData, queuedMessage } from "./message-fixtures.js";
import type { SuiteContext } from "./suite-context.js";

const LONG_LEASE_MS = 60_000;

/** Submit outcomes, claim order, delays, counts. */
export function registerQueueTests(ctx: SuiteContext): void {
  it("refuses a priority that is not an integer from 0 to MAX_PRIORITY with a ValidationError, stores nothing, and takes MAX_PRIORITY", async () => {
    for (const priority of [-1, 1.5, MAX_PRIORITY + 1, Number.NaN]) {
      await expect(ctx.backend.submit([queuedMessage("q", { priority })]), String(priority)).rejects.toThrow(ValidationError);
      await expect(ctx.backend.submit([queuedMessage("q", { priority })]), String(priority)).rejects.toThrow(/priority/);
    }
    expect(await ctx.backend.countQueue("q")).toEqual({ ready: 0, delayed: 0, active: 0, dead: 0 });
    expect(await ctx.backend.submit([queuedMessage("q", { priority: MAX_PRIORITY })])).toEqual(["created"]);
  });

  it("refuses a claim limit that is not an integer ≥ 1 with a ValidationError naming it, and leases nothing", async () => {
    await ctx.backend.submit([queuedMessage("q")]);
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      await expect(ctx.backend.claim({ queues: ["q"], limit, leaseMs: 60_000 }), String(limit)).rejects.toThrow(ValidationError);
      await expect(ctx.backend.claim({ queues: ["q"], limit, leaseMs: 60_000 }), String(limit)).rejects.toThrow(
        `Invalid claim limit ${String(limit)}: use an integer ≥ 1.`,
      );
    }
    expect(await ctx.backend.countQueue("q")).toEqual({ ready: 1, delayed: 0, active: 0, dead: 0 });
  });

  it("stores a submitted message and reads its data back unchanged", async () => {
    const message = queuedMessage("q");
    expect(await ctx.backend.submit([message])).toEqual(["created"]);
    expect(await ctx.backend.getMessage(message)).toEqual(message.data);
    expect(await ctx.backend.getMessage({ queue: "q", uuid: "no-such-uuid" })).toBeNull();
  });

  it("reports a replayed submit as duplicate and other data under the same uuid as conflict, changing nothing", async () => {
    const message = queuedMessage("q");
    const other = { ...message, data: { ...message.data, args: ["different"] } };
    expect(await ctx.backend.submit([message])).toEqual(["created"]);
    expect(await ctx.backend.submit([message])).toEqual(["duplicate"]);
    expect(await ctx.backend.submit([other])).toEqual(["conflict"]);
    expect(await ctx.backend.getMessage(message)).toEqual(message.data);
    expect((await ctx.backend.countQueue("q")).ready).toBe(1);
  });

  it("returns one outcome per message in order, repeats within a batch included", async () => {
    const a = queuedMessage("q");
    const b = queuedMessage("q");
    const aChanged = { ...a, data: { ...a.data, retries: 1 } };
    expect(await ctx.backend.submit([a, b, a, aChanged])).toEqual(["created", "created", "duplicate", "conflict"]);
    expect(await ctx.backend.submit([])).toEqual([]);
  });

  it("rejects invalid queue names with a ValidationError", async () => {
    const bad = queuedMessage("bad queue");
    await expect(ctx.backend.submit([bad])).rejects.toBeInstanceOf(ValidationError);
    await expect(ctx.backend.claim({ queues: ["q*"], limit: 1, leaseMs: 1_000 })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it("claims lower priority numbers first and, within a priority, in arrival order", async () => {
    const submitted = [2, 0, 1, 0, 2, 1].map((priority) => queuedMessage("q", { priority }));
    for (const message of submitted) await ctx.backend.submit([message]);
    const { messages } = await ctx.backend.claim({ queues: ["q"], limit: 10, leaseMs: LONG_LEASE_MS });
    const expected = [1, 3, 2, 5, 0, 4].map((index) => submitted[index]?.uuid);
    expect(messages.map((claimed) => claimed.lease.uuid)).toEqual(expected);
  });

  it("returns the message data, a lease on it and expiredLeases 0 on a first claim", async () => {
    const message = queuedMessage("q");
    await ctx.backend.submit([message]);
    const { messages } = await ctx.backend.claim({ queues: ["q"], limit: 1, leaseMs: LONG_LEASE_MS });
    expect(messages).toHaveLength(1);
    expect(messages[0]?.data).toEqual(message.data);
    expect(messages[0]?.expiredLeases).toBe(0);
    expect(messages[0]?.lease).toMatchObject({ queue: "q", uuid: message.uuid });
    expect(typeof messages[0]?.lease.token).toBe("string");
  });

  it("drains the queues in the order given, whatever their priorities", async () => {
    const urgentElsewhere = queuedMessage("second", { priority: 0 });
    const first = [queuedMessage("first", { priority: 9 }), queuedMessage("first", { priority: 9 })];
    await ctx.backend.submit([urgentElsewhere, ...first]);
    const one = await ctx.backend.claim({ queues: ["first", "second"], limit: 2, leaseMs: LONG_LEASE_MS });
    expect(one.messages.map((claimed) => claimed.lease.uuid)).toEqual(first.map((message) => message.uuid));
    const two = await ctx.backend.claim({ queues: ["first", "second"], limit: 5, leaseMs: LONG_LEASE_MS });
    expect(two.messages.map((claimed) => claimed.lease)).toMatchObject([{ queue: "second", uuid: urgentElsewhere.uuid }]);
  });

  it("matches queue names exactly, so q1 never claims or counts q10's messages", async () => {
    const inQ10 = queuedMessage("q10");
    const inQ1 = queuedMessage("q1");
    await ctx.backend.submit([inQ10, inQ1]);
    const claimed = await ctx.backend.claim({ queues: ["q1"], limit: 10, leaseMs: LONG_LEASE_MS });
    expect(claimed.messages.map((message) => message.lease.uuid)).toEqual([inQ1.uuid]);
    expect(await ctx.backend.countQueue("q1")).toEqual({ ready: 0, delayed: 0, active: 1, dead: 0 });
    expect(await ctx.backend.countQueue("q10")).toEqual({ ready: 1, delayed: 0, active: 0, dead: 0 });
    expect(await ctx.backend.getMessage({ queue: "q1", uuid: inQ10.uuid })).toBeNull();
  });

  it("claims at most limit messages and reports nextReadyInMs only when it came back short", async () => {
    await ctx.backend.submit([queuedMessage("q"), queuedMessage("q"), queuedMessage("q")]);
    const full = await ctx.backend.claim({ queues: ["q"], limit: 2, leaseMs: LONG_LEASE_MS });
    expect(full.messages).toHaveLength(2);
    expect(full.nextReadyInMs).toBeNull();
    const short = await ctx.backend.claim({ queues: ["q"], limit: 2, leaseMs: LONG_LEASE_MS });
    expect(short.messages).toHaveLength(1);
    // Only leased messages remain: the next event is the earliest lease expiry.
    expect(short.nextReadyInMs).toBeGreaterThan(0);
    expect(short.nextReadyInMs).toBeLessThanOrEqual(LONG_LEASE_MS);
  });

  it("returns nothing and nextReadyInMs null when nothing is pending", async () => {
    expect(await ctx.backend.claim({ queues: ["empty"], limit: 5, leaseMs: 1_000 })).toEqual({
      messages: [],
      nextReadyInMs: null,
    });
  });

  it("claims 1000 bulk-submitted messages in priority-then-arrival order", async () => {
    const submitted = Array.from({ length: 1_000 }, (_, index) => queuedMessage("bulk", { priority: index % 3 }));
    const outcomes = await ctx.backend.submit(submitted);
    expect(outcomes.every((outcome) => outcome === "created")).toBe(true);
    const claimed: string[] = [];
    for (let round = 0; round < 10; round += 1) {
      const { messages } = await ctx.backend.claim({ queues: ["bulk"], limit: 100, leaseMs: LONG_LEASE_MS });
      claimed.push(...messages.map((message) => message.lease.uuid));
    }
    const expected = [0, 1, 2].flatMap((priority) =>
      submitted.filter((message) => message.priority === priority).map((message) => message.uuid),
    );
    expect(claimed).toEqual(expected);
    expect((await ctx.backend.claim({ queues: ["bulk"], limit: 1, leaseMs: LONG_LEASE_MS })).messages).toEqual([]);
  });

  it("does not claim a message before its readyAt, then claims it once due", async () => {
    const delayMs = 500;
    const readyAt = (await ctx.now()) + delayMs;
    const message = queuedMessage("q", { readyAt });
    await ctx.backend.submit([message]);
    const early = await ctx.backend.claim({ queues: ["q"], limit: 1, leaseMs: LONG_LEASE_MS });
    const checkedAt = await ctx.now();
    // Only meaningful if the claim ran before readyAt; a very slow machine may be past it already.
    if (checkedAt < readyAt) {
      expect(early.messages).toEqual([]);
      expect(early.nextReadyInMs).toBeGreaterThan(0);
      expect(early.nextReadyInMs).toBeLessThanOrEqual(delayMs);
    }
    const due = early.messages.length > 0 ? early : await ctx.eventually("the delayed message is claimable", async () => {
      const result = await ctx.backend.claim({ queues: ["q"], limit: 1, leaseMs: LONG_LEASE_MS });
      return result.messages.length > 0 ? result : undefined;
    });
    expect(await ctx.now()).toBeGreaterThanOrEqual(readyAt);
    expect(due.messages[0]?.data).toEqual(message.data);
  });

  it("reports in nextReadyInMs the earliest delayed message among the claimed queues only", async () => {
    const now = await ctx.now();
    await ctx.backend.submit([
      queuedMessage("late", { readyAt: now + 50_000 }),
      queuedMessage("soon", { readyAt: now + 20_000 }),
      queuedMessage("other", { readyAt: now + 1_000 }),
    ]);
    const both = await ctx.backend.claim({ queues: ["late", "soon"], limit: 1, leaseMs: LONG_LEASE_MS });
    expect(both.messages).toEqual([]);
    expect(both.nextReadyInMs).toBeGreaterThan(1_000);
    expect(both.nextReadyInMs).toBeLessThanOrEqual(20_000);
    const late = await ctx.backend.claim({ queues: ["late"], limit: 1, leaseMs: LONG_LEASE_MS });
    expect(late.nextReadyInMs).toBeGreaterThan(20_000);
    expect(late.nextReadyInMs).toBeLessThanOrEqual(50_000);
  });

  it("puts a retried message back at its original place among messages of its priority", async () => {
    const [first, second, third] = [queuedMessage("q"), queuedMessage("q"), queuedMessage("q")];
    if (!first || !second || !third) throw new Error("fixtures");
    await ctx.backend.submit([first, second, third]);
    const claimed = await ctx.backend.claim({ queues: ["q"], limit: 1, leaseMs: LONG_LEASE_MS });
    const lease = claimed.messages[0]?.lease;
    expect(lease?.uuid).toBe(first.uuid);
    if (!lease) throw new Error("no lease");
    const retried = { ...first.data, retries: 1 };
    expect(await ctx.backend.retry(lease, retried, Date.now() - 1)).toBe("ok");
    const { messages } = await ctx.backend.claim({ queues: ["q"], limit: 3, leaseMs: LONG_LEASE_MS });
    expect(messages.map((m) => m.lease.uuid)).toEqual([first.uuid, second.uuid, third.uuid]);
    expect(messages[0]?.data.retries).toBe(1);
  });

  it("counts ready, delayed, active and dead messages per queue", async () => {
    const now = await ctx.now();
    const ready = [queuedMessage("q"), queuedMessage("q"), queuedMessage("q"), queuedMessage("q")];
    await ctx.backend.submit([...ready, queuedMessage("q", { readyAt: now + LONG_LEASE_MS })]);
    await ctx.backend.claim({ queues: ["q"], limit: 1, leaseMs: LONG_LEASE_MS });
    const dead = ready[3];
    expect(await ctx.backend.fail({ queue: "q", uuid: dead?.uuid ?? "" }, dead?.data ?? messageData("q"), LONG_LEASE_MS)).toBe("ok");
    expect(await ctx.backend.countQueue("q")).toEqual({ ready: 2, delayed: 1, active: 1, dead: 1 });
    expect(await ctx.backend.countQueue("never_used")).toEqual({ ready: 0, delayed: 0, active: 0, dead: 0 });
  });

  it("lists every queue that ever received a message, including emptied ones", async () => {
    expect(await ctx.backend.listQueues()).toEqual([]);
    const message = queuedMessage("alpha");
    await ctx.backend.submit([message, queuedMessage("beta")]);
    expect(await ctx.backend.ack(message)).toBe("ok");
    expect([...(await ctx.backend.listQueues())].sort()).toEqual(["alpha", "beta"]);
  });

  it("lists a queue from its first message, delayed or ready, and while more arrive in a full queue", async () => {
    const now = await ctx.now();
    await ctx.backend.submit([queuedMessage("later", { readyAt: now + LONG_LEASE_MS })]);
    await ctx.backend.submit([queuedMessage("busy")]);
    await ctx.backend.submit([queuedMessage("busy"), queuedMessage("busy", { priority: 3 })]);
    expect([...(await ctx.backend.listQueues())].sort()).toEqual(["busy", "later"]);
    expect(await ctx.backend.countQueue("busy")).toEqual({ ready: 3, delayed: 0, active: 0, dead: 0 });
    expect(await ctx.backend.countQueue("later")).toEqual({ ready: 0, delayed: 1, active: 0, dead: 0 });
  });

  it("stores copies: changing submitted or returned data does not change the stored message", async () => {
    const message = queuedMessage("q");
    const original = structuredClone(message.data);
    await ctx.backend.submit([message]);
    message.data.args.push("mutated after submit");
    const read = await ctx.backend.getMessage(message);
    expect(read).toEqual(original);
    read?.args.push("mutated after read");
    expect(await ctx.backend.getMessage(message)).toEqual(original);
  });
}
