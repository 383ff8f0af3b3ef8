import { expect, it } from "vitest";
import { ValidationError, type Backend, type ListMessagesRequest, type MessageState } from "@alsek/core";
import { queuedMessage } from "./message-fixtures.js";
import type { SuiteContext } from "./suite-context.js";

const LONG_LEASE_MS = 60_000;
const FAR_FUTURE = 4_000_000_000_000;
const DLQ_TTL_MS = 3_600_000;

/** Every uuid of a state, walking page by page. */
async function walk(backend: Backend, queue: string, request: Omit<ListMessagesRequest, "cursor">): Promise<string[]> {
  const uuids: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const page = await backend.listMessages(queue, { ...request, cursor });
    uuids.push(...page.items.map((item) => item.data.uuid));
    if (page.nextCursor === null) return uuids;
    cursor = page.nextCursor;
  }
  throw new Error("the listing never ended");
}

/** Cursor-paged listing, single-message inspection, the operator's writes and throughput counters. */
export function registerInspectionTests(ctx: SuiteContext): void {
  it("pages ready messages in claim order oldest first and in reverse newest first, each exactly once", async () => {
    const submitted = [2, 0, 1, 0, 2, 1, 0].map((priority) => queuedMessage("q", { priority }));
    for (const message of submitted) await ctx.backend.submit([message]);
    const claimOrder = [1, 3, 6, 2, 5, 0, 4].map((i) => submitted[i]!.uuid);
    expect(await walk(ctx.backend, "q", { state: "ready", order: "oldest", limit: 2 })).toEqual(claimOrder);
    expect(await walk(ctx.backend, "q", { state: "ready", order: "newest", limit: 3 })).toEqual([...claimOrder].reverse());
    const first = await ctx.backend.listMessages("q", { state: "ready", order: "oldest", cursor: null, limit: 7 });
    expect(first.nextCursor).toBeNull();
    expect(first.items[0]).toMatchObject({ state: "ready", dueAt: null, data: submitted[1]!.data });
  });

  it("orders messages made ready again among those never claimed, by priority then arrival, in counts, listings and claims", async () => {
    // Submitted in this order; w* ready, d* delayed until made ready now, h of a higher priority
    // number, x removed while it waits. w1 is claimed and released, so it comes back at its place.
    const [w1, d2, x3, w4, d5, w6, h7] = [
      queuedMessage("q"),
      queuedMessage("q", { readyAt: FAR_FUTURE }),
      queuedMessage("q"),
      queuedMessage("q"),
      queuedMessage("q", { readyAt: FAR_FUTURE }),
      queuedMessage("q"),
      queuedMessage("q", { priority: 1 }),
    ];
    for (const message of [w1, d2, x3, w4, d5, w6, h7]) await ctx.backend.submit([message!]);
    const first = await ctx.backend.claim({ queues: ["q"], limit: 1, leaseMs: LONG_LEASE_MS });
    expect(first.messages.map((m) => m.lease.uuid)).toEqual([w1!.uuid]);
    expect(await ctx.backend.release(first.messages[0]!.lease)).toBe("ok");
    expect(await ctx.backend.readyNow(d5!)).toBe("ok");
    expect(await ctx.backend.readyNow(d2!)).toBe("ok");
    expect(await ctx.backend.remove(x3!)).toBe("ok");
    const order = [w1, d2, w4, d5, w6, h7].map((m) => m!.uuid);
    expect(await ctx.backend.countQueue("q")).toEqual({ ready: 6, delayed: 0, active: 0, dead: 0 });
    expect(await walk(ctx.backend, "q", { state: "ready", order: "oldest", limit: 2 })).toEqual(order);
    expect(await walk(ctx.backend, "q", { state: "ready", order: "newest", limit: 4 })).toEqual([...order].reverse());
    const claimed: string[] = [];
    for (const limit of [1, 2, 10]) {
      const { messages } = await ctx.backend.claim({ queues: ["q"], limit, leaseMs: LONG_LEASE_MS });
      claimed.push(...messages.map((m) => m.lease.uuid));
    }
    expect(claimed).toEqual(order);
    expect(await ctx.backend.countQueue("q")).toEqual({ ready: 0, delayed: 0, active: 6, dead: 0 });
  });

  it("keeps its place when the last listed message is removed and others arrive meanwhile", async () => {
    // Same readyAt for all: the delayed index orders them by uuid, and the cursor must find its
    // place among equal scores even after its own entry is gone.
    const readyAt = FAR_FUTURE;
    const submitted = Array.from({ length: 8 }, () => queuedMessage("q", { readyAt }));
    await ctx.backend.submit(submitted);
    const all = await walk(ctx.backend, "q", { state: "delayed", order: "oldest", limit: 1000 });
    expect([...all].sort()).toEqual(submitted.map((m) => m.uuid).sort());
    const page1 = await ctx.backend.listMessages("q", { state: "delayed", order: "oldest", cursor: null, limit: 3 });
    expect(page1.items.map((i) => i.data.uuid)).toEqual(all.slice(0, 3));
    await ctx.backend.remove({ queue: "q", uuid: all[2]! });
    await ctx.backend.remove({ queue: "q", uuid: all[0]! });
    const late = queuedMessage("q", { readyAt: readyAt + 1 });
    await ctx.backend.submit([late]);
    const rest: string[] = [];
    let cursor = page1.nextCursor;
    for (let pages = 0; cursor !== null; pages++) {
      if (pages > 10) throw new Error("the listing never ended");
      const page = await ctx.backend.listMessages("q", { state: "delayed", order: "oldest", cursor, limit: 2 });
      rest.push(...page.items.map((i) => i.data.uuid));
      cursor = page.nextCursor;
    }
    expect(rest).toEqual([...all.slice(3), late.uuid]);
    // A cursor walks one direction only.
    await expect(
      ctx.backend.listMessages("q", { state: "delayed", order: "newest", cursor: page1.nextCursor, limit: 10 }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it("walks newest first from a removed cursor entry without repeating or skipping", async () => {
    const submitted = Array.from({ length: 6 }, () => queuedMessage("q", { readyAt: FAR_FUTURE }));
    await ctx.backend.submit(submitted);
    const newest = await walk(ctx.backend, "q", { state: "delayed", order: "newest", limit: 1000 });
    const page1 = await ctx.backend.listMessages("q", { state: "delayed", order: "newest", cursor: null, limit: 2 });
    await ctx.backend.remove({ queue: "q", uuid: newest[1]! });
    const page2 = await ctx.backend.listMessages("q", { state: "delayed", order: "newest", cursor: page1.nextCursor, limit: 10 });
    expect(page2.items.map((i) => i.data.uuid)).toEqual(newest.slice(2));
    expect(page2.nextCursor).toBeNull();
  });

  it("lists delayed messages with readyAt, active ones with their lease expiry and dead letters with their expiry", async () => {
    const later = queuedMessage("q", { readyAt: FAR_FUTURE });
    const running = queuedMessage("q");
    const failed = queuedMessage("q");
    await ctx.backend.submit([later, running, failed]);
    const before = await ctx.now();
    const { messages } = await ctx.backend.claim({ queues: ["q"], limit: 2, leaseMs: LONG_LEASE_MS });
    const failedLease = messages.find((m) => m.lease.uuid === failed.uuid)!.lease;
    await ctx.backend.fail(failedLease, failed.data, DLQ_TTL_MS);
    const page = async (state: MessageState) =>
      (await ctx.backend.listMessages("q", { state, order: "oldest", cursor: null, limit: 10 })).items;
    expect(await page("delayed")).toMatchObject([{ state: "delayed", dueAt: FAR_FUTURE, data: later.data }]);
    const [active] = await page("active");
    expect(active).toMatchObject({ state: "active", data: running.data });
    expect(active!.dueAt).toBeGreaterThanOrEqual(before + LONG_LEASE_MS - 1_000);
    const [dead] = await page("dead");
    expect(dead).toMatchObject({ state: "dead", data: failed.data });
    expect(dead!.dueAt).toBeGreaterThanOrEqual(before + DLQ_TTL_MS - 1_000);
    expect(await page("ready")).toEqual([]);
    expect(await ctx.backend.listMessages("nothing_here", { state: "dead", order: "newest", cursor: null, limit: 5 })).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it("rejects bad page sizes, states, orders and cursors with a ValidationError", async () => {
    const base: ListMessagesRequest = { state: "ready", order: "oldest", cursor: null, limit: 10 };
    const bad: ListMessagesRequest[] = [
      { ...base, limit: 0 },
      { ...base, limit: 1_001 },
      { ...base, limit: 2.5 },
      { ...base, state: "running" as MessageState },
      { ...base, order: "sideways" as "oldest" },
      { ...base, cursor: "not-a-cursor" },
      { ...base, cursor: "" },
    ];
    for (const request of bad) await expect(ctx.backend.listMessages("q", request)).rejects.toBeInstanceOf(ValidationError);
    await expect(ctx.backend.listMessages("bad queue", base)).rejects.toBeInstanceOf(ValidationError);
    await ctx.backend.submit([queuedMessage("q"), queuedMessage("q")]);
    const { nextCursor } = await ctx.backend.listMessages("q", { ...base, limit: 1 });
    expect(nextCursor).not.toBeNull();
    await expect(ctx.backend.listMessages("q", { ...base, state: "dead", cursor: nextCursor })).rejects.toBeInstanceOf(ValidationError);
    await expect(ctx.backend.throughput("q", 61)).rejects.toBeInstanceOf(ValidationError);
    await expect(ctx.backend.throughput("q", 0)).rejects.toBeInstanceOf(ValidationError);
  });

  it("inspects a message in each state, and returns null for one that is neither queued nor dead", async () => {
    const ready = queuedMessage("q");
    const delayed = queuedMessage("q", { readyAt: FAR_FUTURE });
    await ctx.backend.submit([ready, delayed]);
    expect(await ctx.backend.inspectMessage(ready)).toEqual({ state: "ready", dueAt: null, data: ready.data });
    expect(await ctx.backend.inspectMessage(delayed)).toEqual({ state: "delayed", dueAt: FAR_FUTURE, data: delayed.data });
    const [claimed] = (await ctx.backend.claim({ queues: ["q"], limit: 1, leaseMs: LONG_LEASE_MS })).messages;
    expect(await ctx.backend.inspectMessage(ready)).toMatchObject({ state: "active", data: ready.data });
    await ctx.backend.fail(claimed!.lease, ready.data, DLQ_TTL_MS);
    expect(await ctx.backend.inspectMessage(ready)).toMatchObject({ state: "dead", data: ready.data });
    expect(await ctx.backend.inspectMessage({ queue: "q", uuid: "no-such-uuid" })).toBeNull();
    await expect(ctx.backend.inspectMessage({ queue: "q", uuid: "has space" })).rejects.toBeInstanceOf(ValidationError);
  });

  it("makes a delayed message ready now, and refuses one that is not delayed", async () => {
    const delayed = queuedMessage("q", { readyAt: FAR_FUTURE });
    const ready = queuedMessage("q");
    await ctx.backend.submit([delayed, ready]);
    expect(await ctx.backend.readyNow(ready)).toBe("lost");
    expect(await ctx.backend.readyNow({ queue: "q", uuid: "no-such-uuid" })).toBe("gone");
    expect(await ctx.backend.readyNow(delayed)).toBe("ok");
    expect(await ctx.backend.readyNow(delayed)).toBe("lost");
    const { messages } = await ctx.backend.claim({ queues: ["q"], limit: 5, leaseMs: LONG_LEASE_MS });
    // It keeps its place by arrival: submitted first, claimed first.
    expect(messages.map((m) => m.lease.uuid)).toEqual([delayed.uuid, ready.uuid]);
  });

  it("deletes dead letters and counts only those that existed", async () => {
    const dead = [queuedMessage("q"), queuedMessage("q")];
    await ctx.backend.submit(dead);
    for (const message of dead) await ctx.backend.fail(message, message.data, DLQ_TTL_MS);
    expect(await ctx.backend.deleteDeadLetters("q", [dead[0]!.uuid, "no-such-uuid"])).toBe(1);
    expect(await ctx.backend.getDeadLetter(dead[0]!)).toBeNull();
    expect(await ctx.backend.getDeadLetter(dead[1]!)).toEqual(dead[1]!.data);
    expect(await ctx.backend.deleteDeadLetters("q", [])).toBe(0);
    expect((await ctx.backend.countQueue("q")).dead).toBe(1);
  });

  it("counts acks and failures per minute in the ack and fail steps, not removals", async () => {
    const messages = Array.from({ length: 5 }, () => queuedMessage("q"));
    await ctx.backend.submit(messages);
    const { messages: claimed } = await ctx.backend.claim({ queues: ["q"], limit: 2, leaseMs: LONG_LEASE_MS });
    await Promise.all(claimed.map((c) => ctx.backend.ack(c.lease)));
    await ctx.backend.ack(messages[2]!, { result: { value: 1, ttlMs: null, progenitorUuid: null } });
    await ctx.backend.fail(messages[3]!, messages[3]!.data, DLQ_TTL_MS);
    await ctx.backend.remove(messages[4]!);
    expect(await ctx.backend.ack(messages[4]!)).toBe("gone");
    const minutes = await ctx.backend.throughput("q", 60);
    expect(minutes).toHaveLength(60);
    for (const [i, point] of minutes.entries()) {
      expect(point.minute % 60_000).toBe(0);
      if (i > 0) expect(point.minute - minutes[i - 1]!.minute).toBe(60_000);
    }
    // The minute may have turned during the test: the last two minutes hold every count.
    const recent = minutes.slice(-2);
    expect(recent.reduce((n, p) => n + p.completed, 0)).toBe(3);
    expect(recent.reduce((n, p) => n + p.failed, 0)).toBe(1);
    expect(minutes.at(-1)!.minute).toBeLessThanOrEqual(await ctx.now());
    const other = await ctx.backend.throughput("other", 3);
    expect(other.map((p) => [p.completed, p.failed])).toEqual([[0, 0], [0, 0], [0, 0]]);
  });
}
