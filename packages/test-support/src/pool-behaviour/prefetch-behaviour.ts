import { TaskStatus, type WorkerPool } from "@alsek/core";
import { expect, it } from "vitest";
import { until } from "./pool-harness.js";
import type { PoolTestContext } from "./pool-test-context.js";

/** Messages claimed beyond the free slots: held under lease, started in order, handed back on stop. */
export function registerPrefetchBehaviour<P extends WorkerPool, O extends object>(ctx: PoolTestContext<P, O>): void {
  it("holds up to `prefetch` messages beyond its capacity and hands those not started back on stop", async () => {
    const { backend, sleepThenWrite } = ctx.tasks;
    const p = ctx.start({ capacity: 1, prefetch: 2 });
    const messages = [];
    for (const name of ["prefetch-1", "prefetch-2", "prefetch-3", "prefetch-4"]) {
      messages.push(await sleepThenWrite.generate({ args: [name, 700] }));
    }
    await until("the first task started", () => ctx.lines("started").includes("prefetch-1"));
    await until("two more are prefetched", async () => (await backend.countQueue("alsek_queue")).active === 3);
    expect(await backend.countQueue("alsek_queue")).toMatchObject({ ready: 1, active: 3 });
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
    for (const message of messages.slice(1, 3)) {
      expect(await backend.getValue(`status:${message.uuid}`)).toBe(TaskStatus.SUBMITTED);
    }
  });

  it("runs prefetched messages in claim order and never one revoked while it waited", async () => {
    const { sleepThenWrite } = ctx.tasks;
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
