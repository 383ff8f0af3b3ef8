import { expect, it } from "vitest";
import { ValidationError, countingWindowMs } from "@alsek/core";
import { queuedMessage } from "./message-fixtures.js";
import type { SuiteContext } from "./suite-context.js";

const LEASE_MS = 60_000;

/** Pausing queues and rate limits, both enforced by the claim itself. */
export function registerFlowControlTests(ctx: SuiteContext): void {
  const claim = (queues: string[], limit: number) => ctx.backend.claim({ queues, limit, leaseMs: LEASE_MS });

  it("reports no pause and no limits for a queue nobody configured", async () => {
    expect(await ctx.backend.getQueueControl("q")).toEqual({ paused: false, rateLimit: null, taskRateLimits: {} });
  });

  it("skips a paused queue in every claim while submits still land and claimed messages settle", async () => {
    await ctx.backend.submit([queuedMessage("q"), queuedMessage("q")]);
    const running = (await claim(["q"], 1)).messages[0];
    if (running === undefined) throw new Error("Expected a claimable message.");
    await ctx.backend.setQueuePaused("q", true);
    expect((await ctx.backend.getQueueControl("q")).paused).toBe(true);
    await ctx.backend.submit([queuedMessage("q")]);
    const other = await ctx.open(ctx.namespace);
    for (const backend of [ctx.backend, other]) {
      const paused = await backend.claim({ queues: ["q"], limit: 10, leaseMs: LEASE_MS });
      expect(paused.messages).toEqual([]);
      // Paused work is not "ready soon": the consumer waits for the resume's wake-up.
      expect(paused.nextReadyInMs).toBeNull();
    }
    expect(await ctx.backend.ack(running.lease)).toBe("ok");
    expect(await ctx.backend.countQueue("q")).toMatchObject({ ready: 2, active: 0 });
    await ctx.backend.setQueuePaused("q", false);
    expect((await claim(["q"], 10)).messages).toHaveLength(2);
  });

  it("claims the next queue while an earlier one is paused, and keeps the pause per queue and namespace", async () => {
    await ctx.backend.submit([queuedMessage("paused"), queuedMessage("open")]);
    await ctx.backend.setQueuePaused("paused", true);
    await ctx.backend.setQueuePaused("paused", true);
    const taken = await claim(["paused", "open"], 10);
    expect(taken.messages.map((m) => m.lease.queue)).toEqual(["open"]);
    expect((await ctx.backend.getQueueControl("open")).paused).toBe(false);
    const elsewhere = await ctx.open(`${ctx.namespace}_other`);
    expect((await elsewhere.getQueueControl("paused")).paused).toBe(false);
  });

  it("wakes the queue's watchers when it is resumed", async () => {
    await ctx.backend.setQueuePaused("q", true);
    await ctx.backend.submit([queuedMessage("q")]);
    const watcher = ctx.backend.watch(["q"]);
    try {
      const version = watcher.version;
      const woken = watcher.waitForChange(version, ctx.eventuallyTimeoutMs);
      await ctx.backend.setQueuePaused("q", false);
      await woken;
      expect(watcher.version).not.toBe(version);
    } finally {
      await watcher.close();
    }
  });

  it("takes at most `max` messages per window across every consumer and says when capacity returns", async () => {
    // The window is shorter than the leases, so only the window can explain nextReadyInMs.
    await ctx.backend.setRateLimit("q", { max: 3, durationMs: 30_000 });
    await ctx.backend.submit(Array.from({ length: 5 }, () => queuedMessage("q")));
    const first = await claim(["q"], 10);
    expect(first.messages).toHaveLength(3);
    expect(first.nextReadyInMs).toBeGreaterThan(0);
    expect(first.nextReadyInMs).toBeLessThanOrEqual(countingWindowMs({ max: 3, durationMs: 30_000 }));
    const other = await ctx.open(ctx.namespace);
    const second = await other.claim({ queues: ["q"], limit: 10, leaseMs: LEASE_MS });
    expect(second.messages).toEqual([]);
    expect(second.nextReadyInMs).toBeGreaterThan(0);
    // The limit counts starts, not running messages: finishing them frees nothing.
    for (const message of first.messages) expect(await ctx.backend.ack(message.lease)).toBe("ok");
    expect((await claim(["q"], 10)).messages).toEqual([]);
    expect(await ctx.backend.getQueueControl("q")).toEqual({
      paused: false,
      rateLimit: { max: 3, durationMs: 30_000 },
      taskRateLimits: {},
    });
  });

  it("counts a window that slides: capacity returns once earlier claims leave it", async () => {
    await ctx.backend.setRateLimit("q", { max: 2, durationMs: 300 });
    await ctx.backend.submit(Array.from({ length: 4 }, () => queuedMessage("q")));
    expect((await claim(["q"], 10)).messages).toHaveLength(2);
    const later = await ctx.eventually("the window frees", async () => {
      const result = await claim(["q"], 10);
      return result.messages.length > 0 ? result : undefined;
    });
    expect(later.messages).toHaveLength(2);
  });

  it("lets the backlog go when a limit is removed, and wakes watchers when a limit changes", async () => {
    await ctx.backend.setRateLimit("q", { max: 1, durationMs: 60_000 });
    await ctx.backend.submit(Array.from({ length: 3 }, () => queuedMessage("q")));
    expect((await claim(["q"], 10)).messages).toHaveLength(1);
    const watcher = ctx.backend.watch(["q"]);
    try {
      const version = watcher.version;
      const woken = watcher.waitForChange(version, ctx.eventuallyTimeoutMs);
      await ctx.backend.setRateLimit("q", null);
      await woken;
      expect(watcher.version).not.toBe(version);
    } finally {
      await watcher.close();
    }
    expect((await ctx.backend.getQueueControl("q")).rateLimit).toBeNull();
    expect((await claim(["q"], 10)).messages).toHaveLength(2);
  });

  it("postpones messages of a task at its limit and claims the messages behind them", async () => {
    await ctx.backend.setRateLimit("q", { max: 1, durationMs: 60_000 }, "slow");
    const slow = [0, 1, 2].map(() => queuedMessage("q", { data: { taskName: "slow" } }));
    const fast = queuedMessage("q", { data: { taskName: "fast" } });
    await ctx.backend.submit([...slow, fast]);
    const taken = await claim(["q"], 10);
    expect(taken.messages.map((m) => m.lease.uuid)).toEqual([slow[0]!.uuid, fast.uuid]);
    expect(taken.nextReadyInMs).toBeGreaterThan(0);
    expect(taken.nextReadyInMs).toBeLessThanOrEqual(120_000);
    // Postponed, unchanged: still queued (delayed), no retry consumed.
    expect(await ctx.backend.countQueue("q")).toMatchObject({ ready: 0, delayed: 2, active: 2 });
    expect((await ctx.backend.getMessage(slow[1]!))?.retries).toBe(0);
    expect((await claim(["q"], 10)).messages).toEqual([]);
    expect(await ctx.backend.getQueueControl("q")).toEqual({
      paused: false,
      rateLimit: null,
      taskRateLimits: { slow: { max: 1, durationMs: 60_000 } },
    });
    // Removing the task's limit and making the postponed messages due lets them go.
    await ctx.backend.setRateLimit("q", null, "slow");
    for (const message of slow.slice(1)) expect(await ctx.backend.readyNow(message)).toBe("ok");
    expect((await claim(["q"], 10)).messages.map((m) => m.lease.uuid)).toEqual([slow[1]!.uuid, slow[2]!.uuid]);
  });

  it("refuses a limit out of range, a bad queue or task name, and a non-boolean pause", async () => {
    await expect(ctx.backend.setRateLimit("q", { max: 0, durationMs: 1000 })).rejects.toThrow(
      "setRateLimit: `rateLimit.max` must be an integer from 1 to 100000, got 0.",
    );
    await expect(ctx.backend.setRateLimit("q", { max: 5, durationMs: 1.5 })).rejects.toThrow(
      "setRateLimit: `rateLimit.durationMs` must be an integer of ms from 1 to 86400000, got 1.5.",
    );
    await expect(ctx.backend.setRateLimit("q", null, "bad task")).rejects.toBeInstanceOf(ValidationError);
    await expect(ctx.backend.setQueuePaused("bad queue", true)).rejects.toBeInstanceOf(ValidationError);
    await expect(ctx.backend.setQueuePaused("q", "yes" as unknown as boolean)).rejects.toThrow(
      "setQueuePaused: `paused` must be a boolean, got yes.",
    );
  });

  it("forgets pauses and limits on clear", async () => {
    await ctx.backend.setQueuePaused("q", true);
    await ctx.backend.setRateLimit("q", { max: 1, durationMs: 60_000 });
    await ctx.backend.setRateLimit("q", { max: 1, durationMs: 60_000 }, "slow");
    await ctx.backend.clear();
    expect(await ctx.backend.getQueueControl("q")).toEqual({ paused: false, rateLimit: null, taskRateLimits: {} });
  });
}
