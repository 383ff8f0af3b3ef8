import { randomUUID } from "node:crypto";
import { progressWrite, type Backend, type QueueEvent } from "@alsek/core";
import { expect, it } from "vitest";
import { queuedMessage } from "./message-fixtures.js";
import type { SuiteContext } from "./suite-context.js";

const LEASE_MS = 60_000;

/** The events of `queue`, all of them, read in pages of `page`. */
async function allEvents(backend: Backend, queue: string, page = 1_000): Promise<QueueEvent[]> {
  const out: QueueEvent[] = [];
  for (;;) {
    const events = await backend.readEvents(queue, { after: out.at(-1)?.id ?? null, limit: page });
    out.push(...events);
    if (events.length < page) return out;
  }
}

/** Event streams: one event per state change, in the same step, resumable from an id, capped. */
export function registerEventStreamTests(ctx: SuiteContext): void {
  const withEvents = (eventStreamLength = 1_000): Promise<Backend> =>
    ctx.open(`${ctx.namespace}-ev-${randomUUID().slice(0, 8)}`, { eventStreamLength });

  const claimOne = async (backend: Backend, queue: string) => {
    const { messages } = await backend.claim({ queues: [queue], limit: 1, leaseMs: LEASE_MS });
    if (messages[0] === undefined) throw new Error(`Expected a claimable message in queue ${queue}.`);
    return messages[0];
  };

  it("records no events and costs no stream when events are off (the default)", async () => {
    const { backend } = ctx;
    expect(backend.recordsEvents).toBe(false);
    const message = queuedMessage("q");
    await backend.submit([message]);
    expect(await backend.ack((await claimOne(backend, "q")).lease)).toBe("ok");
    expect(await backend.readEvents("q", { after: null, limit: 10 })).toEqual([]);
    expect(await backend.lastEventId("q")).toBeNull();
  });

  it("records each state change of a message in order, with its attempt, time, error and progress", async () => {
    const backend = await withEvents();
    expect(backend.recordsEvents).toBe(true);
    const before = await ctx.now();
    const message = queuedMessage("q");
    await backend.submit([message]);
    const first = await claimOne(backend, "q");
    const failed = { ...message.data, retries: 1, exceptionDetails: { name: "TypeError", text: "boom", traceback: null } };
    expect(await backend.retry(first.lease, failed, 0)).toBe("ok");
    const second = await claimOne(backend, "q");
    expect(await backend.setProgress(second.lease, progressWrite(second.lease, 50, 1, 5))).toBe("ok");
    expect(await backend.ack(second.lease)).toBe("ok");
    const events = await allEvents(backend, "q");
    expect(events.map((event) => [event.type, event.attempt])).toEqual([
      ["submitted", 0],
      ["started", 0],
      ["retried", 1],
      ["started", 1],
      ["progress", 1],
      ["succeeded", 1],
    ]);
    for (const event of events) {
      expect(event.queue).toBe("q");
      expect(event.uuid).toBe(message.uuid);
      expect(event.at).toBeGreaterThanOrEqual(before - 1_000);
    }
    expect(events[2]).toMatchObject({ error: { name: "TypeError", message: "boom" }, readyAt: 0 });
    expect(events[4]?.progress).toEqual({ value: 50, attempt: 1, updatedAt: 5 });
    expect(events[5]).toMatchObject({ error: null, readyAt: null, progress: null });
    expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
    expect(await backend.lastEventId("q")).toBe(events.at(-1)?.id);
  });

  it("records failed then dead-lettered, revoked for a RevokedError, and a callback's submit", async () => {
    const backend = await withEvents();
    const doomed = queuedMessage("q");
    const revoked = queuedMessage("q");
    const parent = queuedMessage("q");
    const callback = queuedMessage("q");
    await backend.submit([doomed, revoked, parent]);
    const error = { name: "RangeError", text: "x".repeat(2_000), traceback: null };
    expect(await backend.fail((await claimOne(backend, "q")).lease, { ...doomed.data, exceptionDetails: error }, LEASE_MS)).toBe("ok");
    const revocation = { name: "RevokedError", text: "Task was revoked.", traceback: null };
    expect(await backend.fail(revoked, { ...revoked.data, exceptionDetails: revocation }, null)).toBe("ok");
    expect(await backend.ack((await claimOne(backend, "q")).lease, { callback })).toBe("ok");
    const events = (await allEvents(backend, "q")).filter((event) => event.type !== "submitted" && event.type !== "started");
    expect(events.map((event) => [event.type, event.uuid])).toEqual([
      ["failed", doomed.uuid],
      ["dead-lettered", doomed.uuid],
      ["revoked", revoked.uuid],
      ["succeeded", parent.uuid],
    ]);
    expect(events[0]?.error).toEqual({ name: "RangeError", message: "x".repeat(500) });
    const submitted = (await allEvents(backend, "q")).filter((event) => event.type === "submitted").map((event) => event.uuid);
    expect(submitted).toEqual([doomed.uuid, revoked.uuid, parent.uuid, callback.uuid]);
  });

  it("records stalled when an expired lease brings a message back, released for a hand-back, removed for a removal", async () => {
    const backend = await withEvents();
    const stalled = queuedMessage("q");
    await backend.submit([stalled]);
    const { messages } = await backend.claim({ queues: ["q"], limit: 1, leaseMs: 150 });
    expect(messages).toHaveLength(1);
    const again = await ctx.eventually("the expired lease is claimable again", async () => {
      const { messages: retaken } = await backend.claim({ queues: ["q"], limit: 1, leaseMs: LEASE_MS });
      return retaken[0];
    });
    expect(again.expiredLeases).toBe(1);
    const handedBack = queuedMessage("q");
    await backend.submit([handedBack]);
    expect(await backend.release((await claimOne(backend, "q")).lease)).toBe("ok");
    const removed = queuedMessage("q");
    await backend.submit([removed]);
    expect(await backend.remove(removed)).toBe("ok");
    expect(await backend.ack(again.lease)).toBe("ok");
    const events = await allEvents(backend, "q");
    expect(events.filter((event) => event.uuid === stalled.uuid).map((event) => [event.type, event.attempt])).toEqual([
      ["submitted", 0],
      ["started", 0],
      ["stalled", 0],
      ["started", 0],
      ["succeeded", 0],
    ]);
    expect(events.filter((event) => event.uuid === handedBack.uuid).map((event) => event.type)).toEqual([
      "submitted",
      "started",
      "released",
    ]);
    expect(events.filter((event) => event.uuid === removed.uuid).map((event) => event.type)).toEqual(["submitted", "removed"]);
  });

  it("resumes after a given id, and reads nothing new past the newest", async () => {
    const backend = await withEvents();
    const messages = Array.from({ length: 5 }, () => queuedMessage("q"));
    await backend.submit(messages);
    const all = await allEvents(backend, "q");
    expect(all.map((event) => event.uuid)).toEqual(messages.map((message) => message.uuid));
    const rest = await backend.readEvents("q", { after: all[1]!.id, limit: 2 });
    expect(rest.map((event) => event.uuid)).toEqual([messages[2]!.uuid, messages[3]!.uuid]);
    expect(await backend.readEvents("q", { after: all[4]!.id, limit: 10 })).toEqual([]);
    expect(await backend.readEvents("other", { after: null, limit: 10 })).toEqual([]);
  });

  it("keeps each queue's stream near its cap, dropping the oldest", async () => {
    const backend = await withEvents(10);
    const messages = Array.from({ length: 600 }, () => queuedMessage("q"));
    await backend.submit(messages);
    const kept = await allEvents(backend, "q");
    expect(kept.length).toBeGreaterThanOrEqual(10);
    expect(kept.length).toBeLessThan(600);
    expect(kept.at(-1)?.uuid).toBe(messages.at(-1)?.uuid);
  });

  it("refuses a bad read with a ValidationError", async () => {
    const backend = await withEvents();
    await expect(backend.readEvents("q", { after: "not an id", limit: 1 })).rejects.toThrow(
      "readEvents: `after` must be an event id a backend returned",
    );
    await expect(backend.readEvents("q", { after: null, limit: 0 })).rejects.toThrow(
      "readEvents: `limit` must be an integer from 1 to 1000, got 0.",
    );
  });
}
