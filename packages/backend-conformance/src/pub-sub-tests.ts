import { expect, it } from "vitest";
import type { SuiteContext } from "./suite-context.js";

/** Publish/subscribe inside a namespace. */
export function registerPubSubTests(ctx: SuiteContext): void {
  const values = ["text", 42, { key: "value", list: [1, 2] }, [42, { key: "value" }], null, true];

  it("delivers published values to every subscriber of the channel, in order", async () => {
    const first: unknown[] = [];
    const second: unknown[] = [];
    await ctx.backend.subscribe("updates", (value) => first.push(value));
    await ctx.backend.subscribe("updates", (value) => second.push(value));
    for (const value of values) await ctx.backend.publish("updates", value);
    await ctx.eventually("every value arrives", async () =>
      first.length >= values.length && second.length >= values.length ? true : undefined,
    );
    expect(first).toEqual(values);
    expect(second).toEqual(values);
  });

  it("delivers nothing from other channels and nothing after unsubscribe", async () => {
    const leaving: unknown[] = [];
    const staying: unknown[] = [];
    const subscription = await ctx.backend.subscribe("updates", (value) => leaving.push(value));
    await ctx.backend.subscribe("updates", (value) => staying.push(value));
    await ctx.backend.publish("updates-other", "elsewhere");
    await ctx.backend.publish("updates", "before");
    await ctx.eventually("the first value arrives", async () => (leaving.length >= 1 && staying.length >= 1 ? true : undefined));
    await subscription.unsubscribe();
    await ctx.backend.publish("updates", "after");
    await ctx.eventually("the second value reaches the remaining subscriber", async () =>
      staying.length >= 2 ? true : undefined,
    );
    expect(leaving).toEqual(["before"]);
    expect(staying).toEqual(["before", "after"]);
  });

  if (ctx.supportsCrossProcessPubSub) {
    it("reports pub/sub support and delivers values published by another backend instance", async () => {
      expect(ctx.backend.supportsPubSub).toBe(true);
      const publisher = await ctx.open(ctx.namespace);
      const heard: unknown[] = [];
      await ctx.backend.subscribe("updates", (value) => heard.push(value));
      for (const value of values) await publisher.publish("updates", value);
      await ctx.eventually("every value arrives", async () => (heard.length >= values.length ? true : undefined));
      expect(heard).toEqual(values);
    });
  }
}
