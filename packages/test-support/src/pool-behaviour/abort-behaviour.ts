import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { WorkerPool } from "@alsek/worker";
import { afterEach, expect, it } from "vitest";
import { until } from "./pool-harness.js";
import type { PoolTestContext } from "./pool-test-context.js";

/**
 * An abort grace no test reaches: a task that ends under it ended through its signal, since the
 * hard stop would come only after it.
 */
const OUT_OF_REACH_MS = 120_000;

/** A local HTTP server that accepts requests and never answers them. */
async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/never`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * `message.signal`: a pool aborts it when it stops an attempt (timeout, revocation, graceful
 * stop), before the hard stop, so a task waiting on abortable I/O ends and its `finally` runs.
 */
export function registerAbortBehaviour<P extends WorkerPool, O extends object>(ctx: PoolTestContext<P, O>): void {
  const { mechanism } = ctx.subject;
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it("aborts message.signal at the timeout: the task's abortable wait ends, its finally runs, and the attempt fails with TaskTimeoutError", async () => {
    const p = ctx.start({ capacity: 1, abortGraceMs: OUT_OF_REACH_MS });
    const failed = new Promise((resolve) => p.once("failed", (_m, error) => resolve(error)));
    const message = await ctx.tasks.awaitSignal.generate({ args: ["timed-out"], timeoutOverride: 300 });
    expect(await failed).toMatchObject({ name: "TaskTimeoutError" });
    expect(ctx.lines("aborted")).toEqual(["timed-out AbortError TaskTimeoutError"]);
    expect(ctx.lines("cleanup")).toEqual(["timed-out"]);
    expect((await ctx.deadLetter(message))?.exceptionDetails?.name).toBe("TaskTimeoutError");
    const after = await ctx.tasks.add.generate({ args: [1, 2] });
    await until(`the pool still works (its ${mechanism} was not stopped)`, async () => (await ctx.result(after)) === 3);
  });

  it("aborts message.signal on revocation: a fetch to a server that never answers ends and its finally runs", async () => {
    const server = await silentServer();
    closers.push(server.close);
    const p = ctx.start({ abortGraceMs: OUT_OF_REACH_MS });
    const failed = new Promise((resolve) => p.once("failed", (_m, error) => resolve(error)));
    const message = await ctx.tasks.fetchWithSignal.generate({ args: ["revoked", server.url] });
    await until("the task started", () => ctx.lines("started").includes("revoked"));
    await ctx.tasks.fetchWithSignal.revoke(message);
    expect(await failed).toMatchObject({ name: "RevokedError" });
    expect(ctx.lines("aborted")).toHaveLength(1);
    expect(ctx.lines("aborted")[0]).toMatch(/^revoked \S+ RevokedError$/);
    expect(ctx.lines("cleanup")).toEqual(["revoked"]);
    expect((await ctx.deadLetter(message))?.exceptionDetails?.name).toBe("RevokedError");
  });

  it("aborts message.signal when the pool loses the message's lease, and drops the attempt's outcome", async () => {
    const { awaitSignal, backend } = ctx.tasks;
    ctx.start({ abortGraceMs: OUT_OF_REACH_MS });
    const message = await awaitSignal.generate({ args: ["lost"] });
    await until("the task started", () => ctx.lines("started").includes("lost"));
    // An operator reschedules it an hour later (a bare write): the pool's lease is gone.
    const stored = await backend.getMessage(message);
    expect(await backend.retry({ queue: message.queue, uuid: message.uuid }, stored!, Date.now() + 3_600_000)).toBe(
      "ok",
    );
    await until("the task's finally ran", () => ctx.lines("cleanup").includes("lost"));
    expect(ctx.lines("aborted")).toEqual(["lost AbortError TerminationError"]);
    expect(await backend.countQueue("alsek_queue")).toMatchObject({ delayed: 1, active: 0, dead: 0 });
  });

  it("aborts message.signal when a graceful stop's grace ends, runs the task's finally and hands the message back", async () => {
    const p = ctx.start({ stopGraceMs: 100, abortGraceMs: OUT_OF_REACH_MS });
    const message = await ctx.tasks.awaitSignal.generate({ args: ["stopped"] });
    await until("the task started", () => ctx.lines("started").includes("stopped"));
    await p.stop();
    expect(ctx.lines("aborted")).toEqual(["stopped AbortError TerminationError"]);
    expect(ctx.lines("cleanup")).toEqual(["stopped"]);
    const stored = await ctx.tasks.backend.getMessage(message);
    expect(stored?.retries).toBe(0);
    expect(await ctx.deadLetter(message)).toBeNull();
    expect((await ctx.tasks.backend.countQueue("alsek_queue")).ready).toBe(1);
  });
}
