import { TaskStatus } from "@alsek/core";
import type { WorkerPool } from "@alsek/worker";
import { expect, it } from "vitest";
import { until } from "./pool-harness.js";
import type { PoolTestContext } from "./pool-test-context.js";

/**
 * Messages claimed beyond the free slots: held under lease, started in order, handed back on stop.
 * With long tasks the pool keeps exactly one message ahead (the depth adapts to the completion
 * rate; `PrefetchDepth` has its own unit tests), whatever the maximum.
 */
export function registerPrefetchBehaviour<P extends WorkerPool, O extends object>(ctx: PoolTestContext<P, O>): void {
  it("holds a message beyond its capacity and hands those not started back on stop", async () => {
    const { backend, sleepThenWrite } = ctx.tasks;
    const p = ctx.start({ capacity: 1, prefetch: 8 });
    const messages = [];
    for (const name of ["prefetch-1", "prefetch-2", "prefetch-3", "prefetch-4"]) {
      messages.push(await sleepThenWrite.generate({ args: [name, 700] }));
    }
    await until("the first task started", () => ctx.lines("started").includes("prefetch-1"));
    await until("one more is prefetched", async () => (await backend.countQueue("alsek_queue")).active === 2);
    expect(await backend.countQueue("alsek_queue")).toMatchObject({ ready: 2, active: 2 });
    expect(p.load).toBeLessThanOrEqual(1);
    // Waiting in the prefetch queue is not running.
    expect(await backend.getValue(`status:${messages[1]!.uuid}`)).toBe(TaskStatus.SUBMITTED);
    await p.stop();
    expect(ctx.lines("started")).toEqual(["prefetch-1"]);
    expect(await ctx.result(messages[0]!)).toBe("prefetch-1");
    expect(await backend.countQueue("alsek_queue")).toMatchObject({ ready: 3, active: 0 });
    for (const message of messages.slice(1)) {
      expect((await backend.getMessage(message))?.retries).toBe(0);
    }
    // Handed back untouched, status SUBMITTED.
    for (const message of messages.slice(1)) {
      expect(await backend.getValue(`status:${message.uuid}`)).toBe(TaskStatus.SUBMITTED);
    }
  });

  it("claims only for free slots with prefetch 0, and never runs a message revoked while it waited", async () => {
    const { backend, sleepThenWrite } = ctx.tasks;
    const none = ctx.start({ capacity: 1, prefetch: 0, queues: ["track"] });
    await ctx.tasks.track.generate({ args: ["no-prefetch-1", 600] });
    await ctx.tasks.track.generate({ args: ["no-prefetch-2", 1] });
    await until("the first tracked task started", () => ctx.lines("order").includes("no-prefetch-1"));
    expect(await backend.countQueue("track")).toMatchObject({ ready: 1, active: 1 });
    await none.stop();

    const p = ctx.start({ capacity: 1, prefetch: 3 });
    const failed = new Promise((resolve) => p.once("failed", (message, error) => resolve([message.uuid, error])));
    const first = await sleepThenWrite.generate({ args: ["order-1", 1_500] });
    const revoked = await sleepThenWrite.generate({ args: ["order-2", 10] });
    await sleepThenWrite.generate({ args: ["order-3", 10] });
    await sleepThenWrite.generate({ args: ["order-4", 10] });
    await until("the first task started", () => ctx.lines("started").includes("order-1"));
    await sleepThenWrite.revoke(revoked);
    expect(await failed).toMatchObject([revoked.uuid, { name: "RevokedError" }]);
    await until("the others ran", () => ctx.lines("started").length === 3);
    expect(ctx.lines("started")).toEqual(["order-1", "order-3", "order-4"]);
    expect(await ctx.result(first)).toBe("order-1");
    expect((await ctx.deadLetter(revoked))?.exceptionDetails?.name).toBe("RevokedError");
  });
}
