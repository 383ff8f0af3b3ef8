import { randomUUID } from "node:crypto";
import { expect, it, vi } from "vitest";
import { ValidationError } from "@alsek/core";
import { describeOnBackends } from "../__tests__/backend-cases.js";
import type { MessageLike } from "../messages/index.js";
import { ResultPool } from "./result-pool.js";
import { ResultStore } from "./result-store.js";

function message(fields: Partial<MessageLike> = {}): MessageLike {
  return { queue: "pool_q", uuid: randomUUID(), taskName: "sumN", ...fields };
}

async function drain(
  iterator: AsyncIterable<[MessageLike, unknown]>,
  into: [MessageLike, unknown][],
): Promise<void> {
  for await (const entry of iterator) into.push(entry);
}

describeOnBackends("ResultPool", ({ backend }) => {
  it("istream yields results in completion order", async () => {
    const store = new ResultStore(backend());
    const pool = new ResultPool(store);
    const [m1, m2, m3] = [message(), message(), message()] as [MessageLike, MessageLike, MessageLike];
    const seen: [MessageLike, unknown][] = [];
    const iterating = drain(pool.istream([m1, m2, m3]), seen);
    // Finish out of order, each after the previous one was yielded.
    await store.set(m3, 3);
    await vi.waitFor(() => expect(seen).toHaveLength(1), { timeout: 10_000, interval: 10 });
    await store.set(m1, 1);
    await vi.waitFor(() => expect(seen).toHaveLength(2), { timeout: 10_000, interval: 10 });
    await store.set(m2, 2);
    await iterating;
    expect(seen).toEqual([
      [m3, 3],
      [m1, 1],
      [m2, 2],
    ]);
  });

  it("stream yields results in input order whatever the completion order", async () => {
    const store = new ResultStore(backend());
    const pool = new ResultPool(store);
    const [m1, m2, m3] = [message(), message(), message()] as [MessageLike, MessageLike, MessageLike];
    const seen: [MessageLike, unknown][] = [];
    const iterating = drain(pool.stream([m1, m2, m3]), seen);
    await store.set(m3, 3);
    await store.set(m2, 2);
    expect(seen).toEqual([]);
    await store.set(m1, 1);
    await iterating;
    expect(seen).toEqual([
      [m1, 1],
      [m2, 2],
      [m3, 3],
    ]);
  });

  it("stops cleanly when the caller breaks out, leaving unread results stored", async () => {
    const store = new ResultStore(backend());
    const pool = new ResultPool(store);
    const [m1, m2, m3] = [message(), message(), message()] as [MessageLike, MessageLike, MessageLike];
    await store.set(m1, 1);
    await store.set(m2, 2);
    for (const iterate of [pool.istream.bind(pool), pool.stream.bind(pool)]) {
      let taken = 0;
      for await (const [, result] of iterate([m1, m2, m3])) {
        expect([1, 2]).toContain(result);
        taken += 1;
        break;
      }
      expect(taken).toBe(1);
      // Exactly one of the two stored results was consumed; put it back for the next round.
      const left = [await store.exists(m1), await store.exists(m2)].filter(Boolean).length;
      expect(left).toBe(1);
      if (!(await store.exists(m1))) await store.set(m1, 1);
      if (!(await store.exists(m2))) await store.set(m2, 2);
    }
  });

  it("keeps results with keep and yields records with withMetadata", async () => {
    const store = new ResultStore(backend());
    const pool = new ResultPool(store);
    const m = message();
    await store.set(m, 5050);
    const seen: [MessageLike, unknown][] = [];
    await drain(pool.istream([m], { keep: true, withMetadata: true }), seen);
    expect(seen).toEqual([[m, expect.objectContaining({ result: 5050, uuid: m.uuid })]]);
    expect(await store.exists(m)).toBe(true);
  });

  it("yields each message's family results with descendants", async () => {
    const store = new ResultStore(backend());
    const pool = new ResultPool(store);
    const root = message();
    await store.set(message({ progenitorUuid: root.uuid }), 3);
    await store.set(message({ progenitorUuid: root.uuid }), 5);
    const seen: [MessageLike, unknown][] = [];
    await drain(pool.istream([root], { descendants: true }), seen);
    expect(seen).toEqual([[root, [3, 5]]]);
  });

  it("rejects duplicate messages when called, before iterating", () => {
    const pool = new ResultPool(new ResultStore(backend()));
    const m = message();
    expect(() => pool.istream([m, { ...m }])).toThrow(ValidationError);
    expect(() => pool.stream([m, m])).toThrow(/Duplicate message/);
  });

  it("ends with the signal's reason when aborted", async () => {
    const pool = new ResultPool(new ResultStore(backend()));
    const controller = new AbortController();
    const seen: [MessageLike, unknown][] = [];
    const iterating = drain(pool.istream([message(), message()], { signal: controller.signal }), seen);
    const streaming = drain(pool.stream([message()], { signal: controller.signal }), seen);
    controller.abort(new Error("shutting down"));
    await expect(iterating).rejects.toThrow("shutting down");
    await expect(streaming).rejects.toThrow("shutting down");
    expect(seen).toEqual([]);
  });
});
