import { expect, it } from "vitest";
import type { SuiteContext } from "./suite-context.js";

/** Locks: owners, re-acquisition, release, expiry. */
export function registerLockTests(ctx: SuiteContext): void {
  it("grants a lock to one owner at a time and lets that owner acquire it again", async () => {
    expect(await ctx.backend.lockHolder("send_data")).toBeNull();
    expect(await ctx.backend.acquireLock("send_data", "owner-a", null)).toBe(true);
    expect(await ctx.backend.acquireLock("send_data", "owner-b", null)).toBe(false);
    expect(await ctx.backend.acquireLock("send_data", "owner-a", 60_000)).toBe(true);
    expect(await ctx.backend.lockHolder("send_data")).toBe("owner-a");
  });

  it("releases a lock only for its owner", async () => {
    await ctx.backend.acquireLock("send_data", "owner-a", 60_000);
    expect(await ctx.backend.releaseLock("send_data", "owner-b")).toBe(false);
    expect(await ctx.backend.lockHolder("send_data")).toBe("owner-a");
    expect(await ctx.backend.releaseLock("send_data", "owner-a")).toBe(true);
    expect(await ctx.backend.lockHolder("send_data")).toBeNull();
    expect(await ctx.backend.releaseLock("send_data", "owner-a")).toBe(false);
    expect(await ctx.backend.acquireLock("send_data", "owner-b", null)).toBe(true);
  });

  it("frees a lock when its ttl passes", async () => {
    expect(await ctx.backend.acquireLock("short", "owner-a", 150)).toBe(true);
    await ctx.eventually("the lock expires", async () => ((await ctx.backend.lockHolder("short")) === null ? true : undefined));
    expect(await ctx.backend.acquireLock("short", "owner-b", null)).toBe(true);
    expect(await ctx.backend.lockHolder("short")).toBe("owner-b");
  });

  it("keeps locks apart from keyed values", async () => {
    await ctx.backend.acquireLock("shared_name", "owner-a", null);
    expect(await ctx.backend.hasValue("shared_name")).toBe(false);
    await ctx.backend.setValue("shared_name", "value");
    expect(await ctx.backend.lockHolder("shared_name")).toBe("owner-a");
  });
}
