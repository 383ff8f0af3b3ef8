import { expect, it } from "vitest";
import { progressWrite, type ClaimedMessage } from "@alsek/core";
import { queuedMessage } from "./message-fixtures.js";
import type { SuiteContext } from "./suite-context.js";

const LONG_LEASE_MS = 60_000;
const SHORT_LEASE_MS = 150;

/** Progress of running messages: stored and published under the lease, refused without it. */
export function registerProgressTests(ctx: SuiteContext): void {
  const submitAndClaim = async (leaseMs = LONG_LEASE_MS): Promise<ClaimedMessage> => {
    await ctx.backend.submit([queuedMessage("q")]);
    const { messages } = await ctx.backend.claim({ queues: ["q"], limit: 1, leaseMs });
    if (messages[0] === undefined) throw new Error("Expected a claimable message in queue q.");
    return messages[0];
  };

  it("stores and publishes a running message's progress while its lease holds", async () => {
    const { backend } = ctx;
    const claimed = await submitAndClaim();
    const write = progressWrite(claimed.lease, { done: 3, of: 10 }, 0, 1_000);
    const seen: unknown[] = [];
    const subscription = await backend.subscribe(write.channel, (value) => seen.push(value));
    try {
      expect(await backend.setProgress(claimed.lease, write)).toBe("ok");
      expect(await backend.getValue(write.key)).toEqual({ value: { done: 3, of: 10 }, attempt: 0, updatedAt: 1_000 });
      const later = progressWrite(claimed.lease, 40, 0, 2_000);
      expect(await backend.setProgress(claimed.lease, later)).toBe("ok");
      expect(await backend.setProgress(claimed.lease, later)).toBe("ok");
      expect(await backend.getValue(write.key)).toEqual({ value: 40, attempt: 0, updatedAt: 2_000 });
      await ctx.eventually("each applied write is published", async () => (seen.length >= 3 ? true : undefined));
      expect(seen[0]).toEqual({ value: { done: 3, of: 10 }, attempt: 0, updatedAt: 1_000 });
      expect(seen[2]).toEqual({ value: 40, attempt: 0, updatedAt: 2_000 });
    } finally {
      await subscription.unsubscribe();
    }
  });

  it("refuses progress from a lost lease or for a message that is gone, writing nothing", async () => {
    const { backend } = ctx;
    const stale = await submitAndClaim(SHORT_LEASE_MS);
    const current = await ctx.eventually("the expired lease is claimable again", async () => {
      const { messages } = await backend.claim({ queues: ["q"], limit: 1, leaseMs: LONG_LEASE_MS });
      return messages[0];
    });
    const write = progressWrite(stale.lease, 10, 0);
    expect(await backend.setProgress(stale.lease, write)).toBe("lost");
    expect(await backend.getValue(write.key)).toBeUndefined();
    expect(await backend.ack(current.lease)).toBe("ok");
    expect(await backend.setProgress(current.lease, write)).toBe("gone");
    expect(await backend.getValue(write.key)).toBeUndefined();
  });

  it("refuses a progress write without a lease token with a ValidationError", async () => {
    const claimed = await submitAndClaim();
    const bare = { queue: claimed.lease.queue, uuid: claimed.lease.uuid, token: "" };
    await expect(ctx.backend.setProgress(bare, progressWrite(bare, 1, 0))).rejects.toThrow(
      "The setProgress lease token must be a non-empty string",
    );
  });
}
