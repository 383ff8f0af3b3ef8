import { describe, expect, it } from "vitest";
import { ExponentialBackoff, LinearBackoff } from "../backoff/index.js";
import { ValidationError } from "../errors/index.js";
import { Message } from "./message.js";

describe("Message", () => {
  it("normalises a minimal message to the original's defaults", () => {
    const message = new Message({ taskName: "add" });
    expect(message.queue).toBe("alsek_queue");
    expect(message.args).toEqual([]);
    expect(message.kwargs).toEqual({});
    expect(message.priority).toBe(0);
    expect(message.retries).toBe(0);
    expect(message.delay).toBe(0);
    expect(message.timeout).toBe(3_600_000);
    expect(message.mechanism).toBe("process");
    expect(message.backoffSettings).toEqual(new ExponentialBackoff().settings);
    expect(message.uuid).toMatch(/^[\w-]{21}$/);
    expect(message.createdAt).toBe(message.updatedAt);
    expect(message.lease).toBeNull();
    expect(message.expiredLeases).toBe(0);
  });

  it("treats an empty queue name as the default queue", () => {
    expect(new Message({ taskName: "t", queue: "" }).queue).toBe("alsek_queue");
  });

  it("rejects createdAt without updatedAt as corrupt time data", () => {
    expect(() => new Message({ taskName: "t", createdAt: 1 })).toThrow(/Time data is corrupt/);
    expect(() => new Message({ taskName: "t", updatedAt: 1 })).toThrow(ValidationError);
  });

  it("round-trips its data and keeps in-memory fields out of it", () => {
    const message = new Message({ taskName: "add", queue: "math_ops", args: [1, { a: [2] }], priority: 3 });
    message.lease = { queue: "math_ops", uuid: message.uuid, token: "t" };
    const data = message.data;
    expect(new Message(data).data).toEqual(data);
    expect(Object.keys(data)).toHaveLength(21);
    expect(data).not.toHaveProperty("lease");
    expect(data).not.toHaveProperty("expiredLeases");
  });

  it("returns a deep copy from data", () => {
    const message = new Message({ taskName: "t", args: [{ n: 1 }] });
    (message.data.args[0] as { n: number }).n = 2;
    expect(message.args[0]).toEqual({ n: 1 });
  });

  it("summarises itself in the original's format", () => {
    const message = new Message({ taskName: "add", queue: "q", uuid: "u1" });
    expect(message.summary).toBe("Message(uuid='u1', queue='q', task='add')");
    expect(String(message)).toBe(message.summary);
  });

  it("computes readyAt from createdAt, delay and the backoff of its retries", () => {
    const backoffSettings = new LinearBackoff({ factor: 1_000, floor: 0 }).settings;
    const message = new Message({ taskName: "t", createdAt: 1_000, updatedAt: 5_000, delay: 500, backoffSettings });
    expect(message.readyAt).toBe(1_500);
    message.retries = 3;
    expect(message.readyAt).toBe(1_000 + 500 + 3_000);
    expect(message.ready).toBe(true);
    expect(message.ttr).toBe(0);
  });

  it("is not ready while its delay runs", () => {
    const message = new Message({ taskName: "t", delay: 60_000 });
    expect(message.ready).toBe(false);
    expect(message.ttr).toBeGreaterThan(0);
    expect(message.ttr).toBeLessThanOrEqual(60_000);
  });

  it("lists descendant uuids down the callback chain", () => {
    const c2 = new Message({ taskName: "c", uuid: "c2" });
    const c1 = new Message({ taskName: "c", uuid: "c1", callbackMessageData: c2.data });
    const root = new Message({ taskName: "r", callbackMessageData: c1.data });
    expect(root.descendantUuids).toEqual(["c1", "c2"]);
    expect(c2.descendantUuids).toBeNull();
  });

  it("clones with equal data and duplicates under a new uuid", () => {
    const message = new Message({ taskName: "t", args: [1], retries: 2 });
    message.lease = { queue: "alsek_queue", uuid: message.uuid, token: "x" };
    const clone = message.clone();
    expect(clone.data).toEqual(message.data);
    expect(clone.lease).toBeNull();
    const duplicate = message.duplicate();
    expect(duplicate.uuid).not.toBe(message.uuid);
    expect({ ...duplicate.data, uuid: null }).toEqual({ ...message.data, uuid: null });
    expect(message.duplicate("given").uuid).toBe("given");
  });

  it("updates known fields and names an unknown key in its error", () => {
    const message = new Message({ taskName: "t" });
    expect(message.update({ priority: 7 }).priority).toBe(7);
    expect(() => message.update({ nope: 1 } as never)).toThrow(/Unsupported key 'nope'/);
  });

  it("adds metadata without ever overwriting a key", () => {
    const message = new Message({ taskName: "t" });
    message.addToMetadata({ a: 1 }).addToMetadata({ b: 2 });
    expect(message.metadata).toEqual({ a: 1, b: 2 });
    expect(() => message.addToMetadata({ a: 3 })).toThrow(/Key 'a' already exists/);
    expect(message.metadata).toEqual({ a: 1, b: 2 });
    expect(() => message.addToMetadata({})).toThrow(/No data provided/);
  });

  it("increments retries and moves updatedAt", () => {
    const message = new Message({ taskName: "t", createdAt: 1, updatedAt: 1 });
    message.incrementRetries();
    expect(message.retries).toBe(1);
    expect(message.updatedAt).toBeGreaterThan(1);
    expect(message.createdAt).toBe(1);
  });

  it("links a lock once unless overridden", () => {
    const message = new Message({ taskName: "t" });
    message.linkLock({ name: "l", ownerId: "o" });
    expect(() => message.linkLock({ name: "m", ownerId: "o" })).toThrow(ValidationError);
    expect(message.linkLock({ name: "m", ownerId: "o" }, true).linkedLock).toEqual({ name: "m", ownerId: "o" });
  });

  it("converts to the queued form the backend takes", () => {
    const message = new Message({ taskName: "t", queue: "q", priority: 2, delay: 10 });
    expect(message.toQueued()).toEqual({ queue: "q", uuid: message.uuid, priority: 2, readyAt: message.readyAt, data: message.data });
  });

  it("shallowData has every persisted field, equal to data but sharing nested objects", () => {
    const message = new Message({ taskName: "t", args: [{ a: 1 }], metadata: { m: 1 } });
    const shallow = message.shallowData();
    expect(shallow).toEqual(message.data);
    expect(shallow.args).toBe(message.args);
    expect(message.toQueued().data).toEqual(message.data);
  });

  it("recomputes readyAt from the backoff as retries grow", () => {
    const message = new Message({ taskName: "t", backoffSettings: new LinearBackoff({ factor: 1_000, floor: 0 }).settings });
    const first = message.readyAt;
    message.incrementRetries();
    expect(message.readyAt).toBe(first + 1_000);
  });
});
