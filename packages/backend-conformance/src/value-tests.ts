import { expect, it } from "vitest";
import { queuedMessage } from "./message-fixtures.js";
import type { SuiteContext } from "./suite-context.js";

/** Keyed values: ttl, nx, keepTtl, delete, scan, count, clear. */
export function registerValueTests(ctx: SuiteContext): void {
  const collect = async (keys: AsyncIterable<string>): Promise<string[]> => {
    const found: string[] = [];
    for await (const key of keys) found.push(key);
    return found.sort();
  };

  it("stores and reads keyed values, and reads undefined for absent keys", async () => {
    const value = { status: "RUNNING", details: [1, "two", null, { nested: true }] };
    expect(await ctx.backend.setValue("status:q:task:1", value)).toBe(true);
    expect(await ctx.backend.getValue("status:q:task:1")).toEqual(value);
    expect(await ctx.backend.setValue("flag", false)).toBe(true);
    expect(await ctx.backend.getValue("flag")).toBe(false);
    expect(await ctx.backend.getValue("absent")).toBeUndefined();
    expect(await ctx.backend.setValue("flag", "overwritten")).toBe(true);
    expect(await ctx.backend.getValue("flag")).toBe("overwritten");
  });

  it("writes with nx only when the key is absent", async () => {
    expect(await ctx.backend.setValue("once", 1, { nx: true })).toBe(true);
    expect(await ctx.backend.setValue("once", 2, { nx: true })).toBe(false);
    expect(await ctx.backend.getValue("once")).toBe(1);
  });

  it("expires a value after ttlMs, after which nx may write it again", async () => {
    expect(await ctx.backend.setValue("short", "v", { ttlMs: 150, nx: true })).toBe(true);
    expect(await ctx.backend.hasValue("short")).toBe(true);
    await ctx.eventually("the value expires", async () => ((await ctx.backend.hasValue("short")) ? undefined : true));
    expect(await ctx.backend.getValue("short")).toBeUndefined();
    expect(await ctx.backend.setValue("short", "again", { nx: true })).toBe(true);
  });

  it("keeps the current expiry with keepTtl, while a plain write removes it", async () => {
    await ctx.backend.setValue("kept", 1, { ttlMs: 200 });
    await ctx.backend.setValue("cleared", 1, { ttlMs: 200 });
    await ctx.backend.setValue("kept", 2, { keepTtl: true });
    await ctx.backend.setValue("cleared", 2);
    expect(await ctx.backend.getValue("kept")).toBe(2);
    await ctx.eventually("the kept expiry passes", async () => ((await ctx.backend.hasValue("kept")) ? undefined : true));
    // Both had the same expiry; the plain write dropped it for "cleared".
    expect(await ctx.backend.getValue("cleared")).toBe(2);
  });

  it("refuses a ttl of 0 or below for a value, a result and a lock with a ValidationError, storing nothing", async () => {
    const { backend } = ctx;
    const owner = queuedMessage("ttl_rules");
    for (const ttlMs of [0, -5]) {
      await expect(backend.setValue("ttl:value", 1, { ttlMs })).rejects.toThrow(/ttl/i);
      await expect(backend.setValue("ttl:value", 1, { ttlMs })).rejects.toMatchObject({ name: "ValidationError" });
      await expect(backend.setResult(owner, { value: 1, ttlMs, progenitorUuid: null })).rejects.toMatchObject({
        name: "ValidationError",
      });
      await expect(backend.acquireLock("ttl_lock", "owner", ttlMs)).rejects.toMatchObject({ name: "ValidationError" });
    }
    expect(await backend.getValue("ttl:value")).toBeUndefined();
    expect(await backend.getResults([owner], { keep: true })).toEqual([null]);
    expect(await backend.acquireLock("ttl_lock", "someone-else", null)).toBe(true);
  });

  it("deletes keys and counts those that existed", async () => {
    await ctx.backend.setValue("a", 1);
    await ctx.backend.setValue("b", 2);
    expect(await ctx.backend.deleteValue("a", "b", "c")).toBe(2);
    expect(await ctx.backend.hasValue("a")).toBe(false);
    expect(await ctx.backend.deleteValue("a")).toBe(0);
  });

  it("scans keys matching a glob pattern, returned without the namespace", async () => {
    for (const key of ["status:q:1", "status:q:2", "revoked:q:1", "statusx"]) await ctx.backend.setValue(key, true);
    expect(await collect(ctx.backend.scanKeys("status:*"))).toEqual(["status:q:1", "status:q:2"]);
    expect(await collect(ctx.backend.scanKeys("*"))).toEqual(["revoked:q:1", "status:q:1", "status:q:2", "statusx"]);
    expect(await collect(ctx.backend.scanKeys("nothing:*"))).toEqual([]);
  });

  it("counts keyed values matching a pattern", async () => {
    for (const key of ["status:1", "status:2", "revoked:1"]) await ctx.backend.setValue(key, 1);
    expect(await ctx.backend.count()).toBe(3);
    expect(await ctx.backend.count("*")).toBe(3);
    expect(await ctx.backend.count("status:*")).toBe(2);
  });

  it("clears everything in the namespace: queues, results and keyed values", async () => {
    const message = queuedMessage("q");
    await ctx.backend.submit([message]);
    await ctx.backend.setResult(message, { value: 1, ttlMs: null, progenitorUuid: null });
    for (const key of ["status:1", "status:2", "revoked:1"]) await ctx.backend.setValue(key, 1);
    expect(await ctx.backend.clear()).toBeGreaterThanOrEqual(3);
    expect(await ctx.backend.count()).toBe(0);
    expect(await ctx.backend.getMessage(message)).toBeNull();
    expect(await ctx.backend.getResults([message], { keep: true })).toEqual([null]);
    expect(await ctx.backend.countQueue("q")).toEqual({ ready: 0, delayed: 0, active: 0, dead: 0 });
    expect((await ctx.backend.claim({ queues: ["q"], limit: 1, leaseMs: 1_000 })).messages).toEqual([]);
    expect(await ctx.backend.listQueues()).toEqual([]);
  });
}
