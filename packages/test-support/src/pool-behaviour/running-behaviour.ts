import { existsSync } from "node:fs";
import { join } from "node:path";
import type { WorkerPool } from "@alsek/worker";
import { expect, it } from "vitest";
import { until } from "./pool-harness.js";
import type { PoolTestContext } from "./pool-test-context.js";

/** Running tasks: results, capacity, order, the guided tour's features, graceful stop. */
export function registerRunningBehaviour<P extends WorkerPool, O extends object>(ctx: PoolTestContext<P, O>): void {
  it("runs tasks defined in a TypeScript module and stores their results", async () => {
    const p = ctx.start();
    const message = await ctx.tasks.add.generate({ args: [1, 2] });
    const completed = new Promise((resolve) => p.once("completed", (_m, value) => resolve(value)));
    expect(await completed).toBe(3);
    expect(await ctx.result(message)).toBe(3);
  });

  it("never runs more tasks at once than its capacity", async () => {
    const p = ctx.start({ capacity: 4, queues: ["track"] });
    expect(p.capacity).toBe(4);
    let peakLoad = 0;
    p.on("completed", () => {});
    const sampler = setInterval(() => (peakLoad = Math.max(peakLoad, p.load)), 5);
    for (let i = 0; i < 16; i++) await ctx.tasks.track.generate({ args: [`t${i}`, 120] });
    await until("16 tasks ran", () => ctx.lines("order").length === 16 && p.load === 0);
    clearInterval(sampler);
    const peaks = ctx.lines("peaks").map(Number);
    expect(Math.max(...peaks)).toBeLessThanOrEqual(4);
    expect(Math.max(...peaks)).toBeGreaterThan(1);
    expect(peakLoad).toBeLessThanOrEqual(4);
  });

  it("consumes queues in the given order, by priority then arrival within a queue", async () => {
    for (const [queue, label, priority] of [
      ["q_a", "a-late", 0], ["q_b", "b-p2", 2], ["q_b", "b-p0-first", 0], ["q_b", "b-p0-second", 0], ["q_a", "a-p1", 1],
    ] as const) {
      await ctx.tasks.track.generate({ args: [label, 1], queue, priority });
    }
    expect(ctx.start({ capacity: 1, queues: ["q_b", "q_a"] }).capacity).toBe(1);
    await until("5 tasks ran", () => ctx.lines("order").length >= 5);
    expect(ctx.lines("order").slice(-5)).toEqual(["b-p0-first", "b-p0-second", "b-p2", "a-late", "a-p1"]);
  });

  it("runs the guided tour's callbacks, message passing, hooks and retry control", async () => {
    const { add1, add1Previous, backend, customThrow, customValue, printResult } = ctx.tasks;
    ctx.start();
    const chain = await add1.generate({
      args: [1],
      callback: [
        await add1Previous.defer().generate(),
        await add1Previous.defer().generate(),
        await printResult.defer().generate(),
      ],
    });
    await until("the chain printed", () => ctx.lines("printed").includes("4"));
    // The last callback's result is stored by its ack, right after it printed.
    await until("the chain's three results are stored", async () =>
      (await backend.descendantResults(chain.queue, chain.uuid)).length === 3,
    );

    await customValue.generate({ args: [1], callback: await printResult.defer().generate() });
    await customValue.generate({ args: [5], callback: await printResult.defer().generate() });
    const range = await customThrow.generate({ args: ["range"] });
    const type = await customThrow.generate({ args: ["type"] });
    await until("both throwing tasks are dead-lettered", async () =>
      (await ctx.deadLetter(range)) !== null && (await ctx.deadLetter(type)) !== null,
    );
    expect((await ctx.deadLetter(range))?.retries).toBe(0);
    expect((await ctx.deadLetter(type))?.retries).toBe(3);
    await until("the value 5 was printed", () => ctx.lines("printed").includes("5"));
    expect(ctx.lines("printed")).not.toContain("1");
    const hooks = ctx.lines("hooks");
    expect(hooks).toContain("preOp customValue");
    expect(hooks).toContain("postOp customValue");
    expect(hooks).toContain("onSuccess customValue 5");
    expect(hooks).toContain("onFailure customThrow RangeError");
    expect(hooks.filter((line) => line === "onRetry customThrow TypeError")).toHaveLength(3);
  });

  it("stops gracefully: running tasks finish, nothing new is claimed", async () => {
    const { backend, sleepThenWrite } = ctx.tasks;
    const p = ctx.start({ capacity: 1 });
    const first = await sleepThenWrite.generate({ args: ["graceful-1", 500] });
    const second = await sleepThenWrite.generate({ args: ["graceful-2", 500] });
    await until("the first task started", () => ctx.lines("started").includes("graceful-1"));
    await p.stop();
    expect(existsSync(join(ctx.dir, "graceful-1"))).toBe(true);
    expect(await ctx.result(first)).toBe("graceful-1");
    const waiting = await backend.getMessage({ queue: second.queue, uuid: second.uuid });
    expect(waiting?.retries).toBe(0);
    expect(ctx.lines("started")).not.toContain("graceful-2");
  });
}
