import { expect, it } from "vitest";
import { queuedMessage } from "./message-fixtures.js";
import type { SuiteContext } from "./suite-context.js";

/** Queue watchers: wake-ups on new ready work, timeouts and aborts. */
export function registerWatchTests(ctx: SuiteContext): void {
  // Waits end at the suite's deadline so a missing wake-up fails with a clear assertion.
  const LONG_WAIT_MS = ctx.eventuallyTimeoutMs;
  // Longer than any test timeout: only an immediate return or the abort can end these waits.
  const NEVER_MS = 600_000;
  it("wakes a watcher when a message is submitted to a watched queue", async () => {
    const watcher = ctx.backend.watch(["other", "q"]);
    try {
      const version = watcher.version;
      const woken = watcher.waitForChange(version, LONG_WAIT_MS);
      await ctx.backend.submit([queuedMessage("q")]);
      await woken;
      expect(watcher.version).not.toBe(version);
    } finally {
      await watcher.close();
    }
  });

  it("wakes a watcher when a claimed message is released or retried to run now", async () => {
    const message = queuedMessage("q");
    await ctx.backend.submit([message]);
    const watcher = ctx.backend.watch(["q"]);
    try {
      const claim = async () =>
        (await ctx.backend.claim({ queues: ["q"], limit: 1, leaseMs: 60_000 })).messages[0]?.lease;

      const first = await claim();
      if (first === undefined) throw new Error("Expected a claimable message.");
      let version = watcher.version;
      let woken = watcher.waitForChange(version, LONG_WAIT_MS);
      expect(await ctx.backend.release(first)).toBe("ok");
      await woken;
      expect(watcher.version).not.toBe(version);

      const second = await claim();
      if (second === undefined) throw new Error("Expected the released message.");
      version = watcher.version;
      woken = watcher.waitForChange(version, LONG_WAIT_MS);
      expect(await ctx.backend.retry(second, { ...message.data, retries: 1 }, 0)).toBe("ok");
      await woken;
      expect(watcher.version).not.toBe(version);
    } finally {
      await watcher.close();
    }
  });

  it("returns from waitForChange at once for an outdated version, after the timeout, or on abort", async () => {
    const watcher = ctx.backend.watch(["q"]);
    // A watcher on a queue that gets no work: a backend may bump a busy watcher more than once per
    // submit (for instance a catch-up check once its subscription is live), so the timeout and
    // abort cases are checked where nothing can arrive.
    const quiet = ctx.backend.watch(["quiet"]);
    try {
      const before = watcher.version;
      await ctx.backend.submit([queuedMessage("q")]);
      await ctx.eventually("the version changes", async () => (watcher.version !== before ? true : undefined));
      await watcher.waitForChange(before, NEVER_MS);

      const idle = quiet.version;
      await quiet.waitForChange(idle, 50);
      expect(quiet.version).toBe(idle);

      const controller = new AbortController();
      const aborted = quiet.waitForChange(idle, NEVER_MS, controller.signal);
      controller.abort();
      await aborted;
      expect(quiet.version).toBe(idle);
    } finally {
      await watcher.close();
      await quiet.close();
    }
  });
}
