import { existsSync } from "node:fs";
import { join } from "node:path";
import { TaskStatus } from "@alsek/core";
import type { WorkerPool } from "@alsek/worker";
import { expect, it } from "vitest";
import { until } from "./pool-harness.js";
import { startPoolProcess } from "./pool-process.js";
import type { PoolTestContext } from "./pool-test-context.js";

/**
 * The pool as a process of its own: killed outright (capacity 3: for the thread pool, its threads
 * run in the pool's process), or asked to stop by SIGTERM (capacity 2: forked process groups).
 */
export function registerOwnProcessBehaviour<P extends WorkerPool, O extends object>(ctx: PoolTestContext<P, O>): void {
  it("loses nothing when killed with SIGKILL mid-task: a second pool completes the messages", async () => {
    const { sleepThenWrite } = ctx.tasks;
    const messages = [
      await sleepThenWrite.generate({ args: ["killed-1", 800] }),
      await sleepThenWrite.generate({ args: ["killed-2", 800] }),
    ];
    const pool = startPoolProcess(ctx.subject.moduleUrl, 1_000, 30_000, 3);
    await pool.started;
    await until("both tasks started", () => ctx.lines("started").length === 2);
    pool.child.kill("SIGKILL");
    await pool.exited();
    ctx.start({ leaseMs: 1_000 });
    await until("both messages completed", async () => {
      const values = await Promise.all(messages.map((message) => ctx.result(message)));
      return values.every((value, index) => value === `killed-${index + 1}`);
    });
    for (const message of messages) expect(await ctx.deadLetter(message)).toBeNull();
  });

  it("drains on SIGTERM and hands unfinished work back without consuming a retry", async () => {
    const { backend, sleepThenWrite } = ctx.tasks;
    const long = await sleepThenWrite.generate({ args: ["sigterm-long", 5_000] });
    const pool = startPoolProcess(ctx.subject.moduleUrl, 30_000, 300, 2);
    await pool.started;
    await until("the task started", () => ctx.lines("started").includes("sigterm-long"));
    pool.child.kill("SIGTERM");
    expect(await pool.exited()).toBe(0);
    const back = await backend.getMessage({ queue: long.queue, uuid: long.uuid });
    expect(back?.retries).toBe(0);
    expect((await backend.countQueue(long.queue)).ready).toBe(1);
    // A soft-stopping pool cannot end a function that ignores its signal: only the hard stop
    // guarantees no side effect after the hand-back.
    if ((ctx.subject.stops ?? "hard") === "hard") expect(existsSync(join(ctx.dir, "sigterm-long"))).toBe(false);
    // Handed back, it waits in its queue again: its status says so rather than RUNNING.
    expect(await backend.getValue(`status:${long.uuid}`)).toBe(TaskStatus.SUBMITTED);
  });
}
