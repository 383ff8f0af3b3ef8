import { randomUUID } from "node:crypto";
import { expect, it, vi } from "vitest";
import { MemoryBackend, ValidationError, WaitTimeoutError } from "@alsek/core";
import type { MessageData } from "@alsek/core";
import { describeOnBackends } from "../__tests__/backend-cases.js";
import { deafBackend } from "../__tests__/deaf-backend.js";
import { ResultNotFoundError } from "../errors/index.js";
import type { MessageLike } from "../messages/index.js";
import { ResultStore } from "./result-store.js";

function message(fields: Partial<MessageLike> = {}): MessageLike {
  return { queue: "results_q", uuid: randomUUID(), taskName: "someTask", ...fields };
}

/** A callback chain root → a → b, the callbacks on another queue, as `generate({ callback: [...] })` builds it. */
function chain(): { root: MessageLike; a: MessageLike; b: MessageLike } {
  const rootUuid = randomUUID();
  const b = { queue: "other_q", uuid: randomUUID(), taskName: "b", progenitorUuid: rootUuid, callbackMessageData: null };
  const a = {
    queue: "other_q",
    uuid: randomUUID(),
    taskName: "a",
    progenitorUuid: rootUuid,
    callbackMessageData: b as unknown as MessageData,
  };
  const root = message({ uuid: rootUuid, callbackMessageData: a as unknown as MessageData });
  return { root, a, b };
}

describeOnBackends("ResultStore", ({ backend, peer }) => {
  it("reads a stored result once, then it is gone", async () => {
    const store = new ResultStore(backend());
    const m = message();
    await store.set(m, { total: 42 });
    expect(await store.get(m)).toEqual({ total: 42 });
    await expect(store.get(m)).rejects.toBeInstanceOf(ResultNotFoundError);
  });

  it("leaves the result stored when read with keep", async () => {
    const store = new ResultStore(backend());
    const m = message();
    await store.set(m, 7);
    expect(await store.get(m, { keep: true })).toBe(7);
    expect(await store.exists(m)).toBe(true);
    expect(await store.get(m)).toBe(7);
    expect(await store.exists(m)).toBe(false);
  });

  it("returns result, timestamp and uuid with withMetadata", async () => {
    const store = new ResultStore(backend());
    const m = message();
    const before = Date.now();
    await store.set(m, "done");
    const record = await store.get(m, { withMetadata: true });
    expect(record.result).toBe("done");
    expect(record.uuid).toBe(m.uuid);
    expect(record.timestamp).toBeGreaterThanOrEqual(before);
    expect(record.timestamp).toBeLessThanOrEqual(Date.now());
  });

  it("waits for a result stored later when given a timeout", async () => {
    const store = new ResultStore(backend());
    const m = message();
    const waiting = store.get(m, { timeout: 20_000 });
    await store.set(m, 99);
    await expect(waiting).resolves.toBe(99);
  });

  it("sees a result stored through another connection", async () => {
    const reader = new ResultStore(peer());
    const writer = new ResultStore(backend());
    const m = message();
    const waiting = reader.get(m, { timeout: 20_000 });
    await writer.set(m, "elsewhere");
    await expect(waiting).resolves.toBe("elsewhere");
  });

  it("throws WaitTimeoutError when no result arrives in time", async () => {
    const store = new ResultStore(backend());
    await expect(store.get(message(), { timeout: 50 })).rejects.toBeInstanceOf(WaitTimeoutError);
    await expect(store.waitFor(message(), { timeout: 50 })).rejects.toBeInstanceOf(WaitTimeoutError);
    await expect(store.get(message(), { timeout: -1 })).rejects.toBeInstanceOf(ValidationError);
  });

  it("stops waiting when the signal aborts", async () => {
    const store = new ResultStore(backend());
    const controller = new AbortController();
    const waiting = store.get(message(), { timeout: null, signal: controller.signal });
    controller.abort(new Error("gave up"));
    await expect(waiting).rejects.toThrow("gave up");
  });

  it("prepares the write with the message's resultTtl and progenitor", () => {
    const store = new ResultStore(backend());
    const write = store.prepare(message({ resultTtl: 5_000, progenitorUuid: "root-uuid" }), [1, 2]);
    expect(write.ttlMs).toBe(5_000);
    expect(write.progenitorUuid).toBe("root-uuid");
    const plain = store.prepare(message(), null);
    expect(plain.ttlMs).toBeNull();
    expect(plain.progenitorUuid).toBeNull();
  });

  it("lets a result expire after the message's resultTtl", async () => {
    const store = new ResultStore(backend());
    const m = message({ resultTtl: 200 });
    await store.set(m, "short-lived");
    await vi.waitFor(async () => expect(await store.exists(m)).toBe(false), { timeout: 10_000, interval: 50 });
  });

  it("returns every result of a callback chain, in write order, with descendants", async () => {
    const store = new ResultStore(backend());
    const { root, a, b } = chain();
    await store.set(root, 1);
    await store.set(a, 2);
    await store.set(b, 3);
    expect(await store.get(root, { descendants: true, keep: true })).toEqual([1, 2, 3]);
    const records = await store.get(root, { descendants: true, withMetadata: true });
    expect(records.map((r) => r.uuid)).toEqual([root.uuid, a.uuid, b.uuid]);
    expect(await store.exists(a)).toBe(false);
  });

  it("waits with descendants until the whole callback chain has results", async () => {
    const store = new ResultStore(backend());
    const { root, a, b } = chain();
    const waiting = store.get(root, { descendants: true, timeout: 20_000 });
    await store.set(root, "r");
    await store.set(a, "a");
    expect(await store.exists(root, { descendants: true })).toBe(false);
    await store.set(b, "b");
    await expect(waiting).resolves.toEqual(["r", "a", "b"]);
  });

  it("waits with descendants for a trigger's first fire instead of returning an empty list", async () => {
    const store = new ResultStore(backend());
    const root = message();
    const waiting = store.get(root, { descendants: true, timeout: 20_000 });
    await store.set(message({ progenitorUuid: root.uuid }), 88);
    await expect(waiting).resolves.toEqual([88]);
  });

  it("orders a trigger's fires by when their results were written", async () => {
    const store = new ResultStore(backend());
    const root = message();
    const fires = [message({ progenitorUuid: root.uuid }), message({ progenitorUuid: root.uuid }), message({ progenitorUuid: root.uuid })];
    for (const [i, fire] of fires.entries()) await store.set(fire, i * 10);
    expect(await store.get(root, { descendants: true })).toEqual([0, 10, 20]);
    // Read once: the next fire starts a new batch.
    await store.set(message({ progenitorUuid: root.uuid }), 30);
    expect(await store.get(root, { descendants: true })).toEqual([30]);
  });

  it("throws ResultNotFoundError with descendants when nothing is stored and no timeout is given", async () => {
    const store = new ResultStore(backend());
    await expect(store.get(message(), { descendants: true })).rejects.toBeInstanceOf(ResultNotFoundError);
  });

  it("deletes a message's result and its family's", async () => {
    const store = new ResultStore(backend());
    const { root, a, b } = chain();
    await store.set(root, 1);
    await store.set(a, 2);
    await store.set(b, 3);
    expect(await store.delete(a, { descendants: false })).toBe(1);
    expect(await store.delete(root)).toBe(2);
    expect(await store.exists(root)).toBe(false);
    expect(await store.exists(b)).toBe(false);
  });
});

it("waits by polling on a backend whose result notices do not reach this process", async () => {
  const shared = new MemoryBackend();
  try {
    const writer = new ResultStore(shared);
    const reader = new ResultStore(deafBackend(shared), { pollInterval: 10 });
    const m = message();
    const waiting = reader.get(m, { timeout: 20_000 });
    await writer.set(m, "polled");
    await expect(waiting).resolves.toBe("polled");
  } finally {
    await shared.close();
  }
});
