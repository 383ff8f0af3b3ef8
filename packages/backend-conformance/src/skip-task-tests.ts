import { expect, it } from "vitest";
import { MAX_SKIP_TASKS, ValidationError, type QueuedMessage } from "@alsek/core";
import { queuedMessage } from "./message-fixtures.js";
import type { SuiteContext } from "./suite-context.js";

const LEASE_MS = 60_000;

/** A message of task `taskName` for queue `queue`. */
function ofTask(queue: string, taskName: string, priority = 0): QueuedMessage {
  return queuedMessage(queue, { priority, data: { taskName } });
}

const uuids = (messages: readonly { lease: { uuid: string } }[]): string[] => messages.map((m) => m.lease.uuid);

/** `ClaimRequest.skipTasks`: messages left in place for another consumer. */
export function registerSkipTaskTests(ctx: SuiteContext): void {
  const claim = (queues: string[], limit: number, skipTasks?: string[]) =>
    ctx.backend.claim({ queues, limit, leaseMs: LEASE_MS, ...(skipTasks === undefined ? {} : { skipTasks }) });

  it("refuses skipTasks that are not task names, or too many, with a ValidationError, and leases nothing", async () => {
    await ctx.backend.submit([ofTask("q", "other")]);
    const tooMany = Array.from({ length: MAX_SKIP_TASKS + 1 }, (_, n) => `task_${n}`);
    for (const skipTasks of [["bad name"], [""], "other", tooMany]) {
      const request = { queues: ["q"], limit: 1, leaseMs: LEASE_MS, skipTasks: skipTasks as string[] };
      await expect(ctx.backend.claim(request), JSON.stringify(skipTasks).slice(0, 40)).rejects.toThrow(ValidationError);
      await expect(ctx.backend.claim(request)).rejects.toThrow(/skipTasks/);
    }
    expect(await ctx.backend.countQueue("q")).toEqual({ ready: 1, delayed: 0, active: 0, dead: 0 });
  });

  it("leaves skipped messages in place and claims the ones behind them up to the limit", async () => {
    const skippedFirst = ofTask("q", "other", 0);
    const takenFirst = ofTask("q", "mine", 5);
    const skippedSecond = ofTask("q", "other", 5);
    const takenSecond = ofTask("q", "mine", 5);
    const last = ofTask("q", "mine", 9);
    for (const message of [skippedFirst, takenFirst, skippedSecond, takenSecond, last]) await ctx.backend.submit([message]);
    const taken = await claim(["q"], 2, ["other"]);
    expect(uuids(taken.messages)).toEqual([takenFirst.uuid, takenSecond.uuid]);
    expect(taken.nextReadyInMs).toBeNull();
    expect(await ctx.backend.countQueue("q")).toEqual({ ready: 3, delayed: 0, active: 2, dead: 0 });
    // Not moved: a claim without skipTasks finds them at their places by priority and arrival.
    const rest = await claim(["q"], 10);
    expect(uuids(rest.messages)).toEqual([skippedFirst.uuid, skippedSecond.uuid, last.uuid]);
    expect(rest.messages[0]?.data).toEqual(skippedFirst.data);
  });

  it("answers no messages for a queue of skipped messages only, without reporting them as ready now", async () => {
    const skipped = [ofTask("q", "other"), ofTask("q", "also_other"), ofTask("q", "other")];
    await ctx.backend.submit(skipped);
    const none = await claim(["q"], 5, ["other", "also_other"]);
    expect(none.messages).toEqual([]);
    // Nothing delayed, nothing leased: nothing this claim could take is pending at all.
    expect(none.nextReadyInMs).toBeNull();
    const later = ofTask("q", "mine");
    await ctx.backend.submit([{ ...later, readyAt: (await ctx.now()) + 60_000 }]);
    const waiting = await claim(["q"], 5, ["other", "also_other"]);
    expect(waiting.messages).toEqual([]);
    // Only the delayed message counts: it is a while away, not "ready now".
    expect(waiting.nextReadyInMs).toBeGreaterThan(1_000);
    expect(await ctx.backend.countQueue("q")).toEqual({ ready: 3, delayed: 1, active: 0, dead: 0 });
    expect(uuids((await claim(["q"], 5)).messages)).toEqual(skipped.map((m) => m.uuid));
  });

  it("wakes a watcher when work arrives in a queue that holds only skipped messages", async () => {
    // A consumer waits after a claim that found only skipped messages: the queue is not empty, yet
    // the next message made ready must wake it as if it were.
    const watcher = ctx.backend.watch(["q"]);
    try {
      let version = watcher.version;
      let woken = watcher.waitForChange(version, ctx.eventuallyTimeoutMs);
      await ctx.backend.submit([ofTask("q", "other")]);
      await woken;
      expect(watcher.version, "the first submit woke the watcher").not.toBe(version);
      expect((await claim(["q"], 5, ["other"])).messages).toEqual([]);
      version = watcher.version;
      woken = watcher.waitForChange(version, ctx.eventuallyTimeoutMs);
      const mine = ofTask("q", "mine");
      await ctx.backend.submit([mine]);
      await woken;
      expect(watcher.version, "the second submit woke the watcher").not.toBe(version);
      expect(uuids((await claim(["q"], 5, ["other"])).messages)).toEqual([mine.uuid]);
    } finally {
      await watcher.close();
    }
  });

  it("claims the next queue when an earlier one holds only skipped messages", async () => {
    const skipped = ofTask("first", "other");
    const wanted = ofTask("second", "mine");
    await ctx.backend.submit([skipped, wanted]);
    const taken = await claim(["first", "second"], 5, ["other"]);
    expect(taken.messages.map((m) => m.lease)).toMatchObject([{ queue: "second", uuid: wanted.uuid }]);
    expect(await ctx.backend.countQueue("first")).toMatchObject({ ready: 1, active: 0 });
  });

  it("counts skipped messages toward no rate limit, and does not postpone a skipped task at its limit", async () => {
    await ctx.backend.setRateLimit("q", { max: 2, durationMs: 60_000 });
    await ctx.backend.setRateLimit("q", { max: 1, durationMs: 60_000 }, "other");
    const skipped = [ofTask("q", "other"), ofTask("q", "other")];
    const mine = [ofTask("q", "mine"), ofTask("q", "mine"), ofTask("q", "mine")];
    for (const message of [...skipped, ...mine]) await ctx.backend.submit([message]);
    const taken = await claim(["q"], 10, ["other"]);
    expect(uuids(taken.messages)).toEqual([mine[0]!.uuid, mine[1]!.uuid]);
    // The queue's window is full with the two it took: it says when it frees, not "now".
    expect(taken.nextReadyInMs).toBeGreaterThan(0);
    // Skipped, not postponed: still ready at their places (the task's own limit is untouched).
    expect(await ctx.backend.countQueue("q")).toEqual({ ready: 3, delayed: 0, active: 2, dead: 0 });
    expect((await claim(["q"], 10)).messages).toEqual([]);
  });

  it("takes nothing of a long run of skipped messages and never reports it as ready now", async () => {
    const run = Array.from({ length: 1_500 }, () => ofTask("q", "other"));
    const behind = ofTask("q", "mine");
    await ctx.backend.submit([...run, behind]);
    // A backend may bound how far one claim looks past skipped messages (ClaimRequest.skipTasks):
    // the message behind them is taken now or by a later claim, but none of them ever is.
    const result = await claim(["q"], 10, ["other"]);
    expect(uuids(result.messages).filter((uuid) => uuid !== behind.uuid)).toEqual([]);
    expect(result.nextReadyInMs).not.toBe(0);
    expect((await ctx.backend.countQueue("q")).ready).toBe(1_500 + 1 - result.messages.length);
    expect(uuids((await claim(["q"], 2)).messages)).toEqual([run[0]!.uuid, run[1]!.uuid]);
  });

  it("claims as usual with an empty skipTasks", async () => {
    const messages = [ofTask("q", "other"), ofTask("q", "mine")];
    await ctx.backend.submit(messages);
    expect(uuids((await claim(["q"], 10, [])).messages)).toEqual(messages.map((m) => m.uuid));
  });
}
