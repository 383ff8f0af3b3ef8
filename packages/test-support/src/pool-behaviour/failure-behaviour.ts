import { existsSync } from "node:fs";
import { join } from "node:path";
import { Message, task } from "@alsek/core";
import type { WorkerPool } from "@alsek/worker";
import { expect, it } from "vitest";
import { until } from "./pool-harness.js";
import type { PoolTestContext } from "./pool-test-context.js";

/** Tasks that do not simply succeed: timeouts, revocation, unknown or foreign tasks, crashes. */
export function registerFailureBehaviour<P extends WorkerPool, O extends object>(ctx: PoolTestContext<P, O>): void {
  const { mechanism } = ctx.subject;
  const hard = (ctx.subject.stops ?? "hard") === "hard";
  const itHard = hard ? it : it.skip;
  const itSoft = hard ? it.skip : it;

  itSoft("fails a task that never settles at its timeout and frees its slot at the deadline (soft timeout)", async () => {
    const p = ctx.start({ capacity: 1 });
    const failed = new Promise((resolve) => p.once("failed", (_m, error) => resolve(error)));
    const message = await ctx.tasks.neverSettles.generate({ args: ["soft"], timeoutOverride: 300 });
    const after = await ctx.tasks.add.generate({ args: [20, 22] });
    expect(await failed).toMatchObject({ name: "TaskTimeoutError" });
    await until("the next message ran in the freed slot", async () => (await ctx.result(after)) === 42);
    expect((await ctx.deadLetter(message))?.exceptionDetails?.name).toBe("TaskTimeoutError");
    expect(ctx.lines("started")).toEqual(["soft"]);
  });

  itHard(`stops a busy-looping task at its timeout (ending its ${mechanism}) and retries it per maxRetries`, async () => {
    const p = ctx.start();
    const retried = new Promise((resolve) => p.once("retried", (_m, error) => resolve(error)));
    const message = await ctx.tasks.spin.generate({ args: ["spin"] });
    expect(await retried).toMatchObject({ name: "TaskTimeoutError" });
    await until("the spin task is dead-lettered", async () => (await ctx.deadLetter(message)) !== null);
    const dead = await ctx.deadLetter(message);
    expect(dead?.retries).toBe(1);
    expect(dead?.exceptionDetails?.name).toBe("TaskTimeoutError");
    expect(ctx.lines("spins")).toHaveLength(2);
    const after = await ctx.tasks.add.generate({ args: [20, 22] });
    await until("the pool still works", async () => (await ctx.result(after)) === 42);
  });

  itHard("stops a revoked running task, with no side effect afterwards", async () => {
    // Past the revocation's detection (~1 s) and the abort grace this task ignores (1 s).
    const TASK_MS = 5_000;
    const p = ctx.start();
    const failed = new Promise((resolve) => p.once("failed", (_m, error) => resolve(error)));
    const message = await ctx.tasks.sleepThenWrite.generate({ args: ["revoked-file", TASK_MS] });
    await until("the task started", () => ctx.lines("started").includes("revoked-file"));
    const startedAt = Date.now();
    await ctx.tasks.sleepThenWrite.revoke(message);
    expect(await failed).toMatchObject({ name: "RevokedError" });
    // Wait past the moment the task would have written its file had it not been stopped.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, TASK_MS + 500 - (Date.now() - startedAt))));
    expect(existsSync(join(ctx.dir, "revoked-file"))).toBe(false);
    expect((await ctx.deadLetter(message))?.exceptionDetails?.name).toBe("RevokedError");
  });

  it("retries a message as it was stored, whatever its task changed on the message it was given", async () => {
    ctx.start({ capacity: 1 });
    const message = await ctx.tasks.changesItsMessage.generate({ args: ["original"] });
    await until("the retry ran", () => ctx.lines("seen").length === 2);
    expect(ctx.lines("seen")).toEqual(["original priority 0 retries 0", "original priority 0 retries 1"]);
    await until("the retry was acked", async () => (await ctx.tasks.backend.getMessage(message)) === null);
  });

  it("dead-letters a message of an unknown task and keeps working", async () => {
    ctx.start();
    const unknown = new Message({ taskName: "nobodyKnowsMe", queue: "alsek_queue" });
    await ctx.tasks.broker.submit(unknown);
    await until("the unknown message is dead-lettered", async () => (await ctx.deadLetter(unknown)) !== null);
    expect((await ctx.deadLetter(unknown))?.exceptionDetails?.name).toBe("UnknownTaskError");
    const after = await ctx.tasks.add.generate({ args: [2, 2] });
    await until("the pool still works", async () => (await ctx.result(after)) === 4);
  });

  it("leaves a message of a task that runs on the other mechanism in its queue, claiming the ones behind it", async () => {
    const { add, backend, broker } = ctx.tasks;
    const otherSide = task(broker, { name: "otherSide", mechanism: mechanism === "thread" ? "process" : "thread" }, function otherSide() {
      return 1;
    });
    ctx.start({ tasks: [add, otherSide] });
    const message = await otherSide.generate();
    const after = await add.generate({ args: [3, 4] });
    await until("the message behind it ran", async () => (await ctx.result(after)) === 7);
    // Skipped by the pool's claims (ClaimRequest.skipTasks): not taken, not moved, nothing used up.
    expect(await backend.countQueue("alsek_queue")).toEqual({ ready: 1, delayed: 0, active: 0, dead: 0 });
    expect(await ctx.deadLetter(message)).toBeNull();
    expect(await backend.getMessage(message)).toEqual(message.data);
  });

  itHard(`counts a task that kills its ${mechanism} as a failed attempt`, async () => {
    ctx.start();
    const message = await ctx.tasks.crash.generate();
    await until("the crashed task is dead-lettered", async () => (await ctx.deadLetter(message)) !== null);
    const details = (await ctx.deadLetter(message))?.exceptionDetails;
    expect(details?.name).toBe("WorkerCrashedError");
    expect(details?.text).toContain("exited (code 7)");
  });
}
