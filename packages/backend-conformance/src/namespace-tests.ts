import { randomUUID } from "node:crypto";
import { ValidationError } from "@alsek/core";
import { expect, it } from "vitest";
import { queuedMessage } from "./message-fixtures.js";
import type { SuiteContext } from "./suite-context.js";

/** Two backends on one storage: shared within a namespace, isolated across namespaces; one rule for names. */
export function registerNamespaceTests(ctx: SuiteContext): void {
  it.each([
    ["a brace", "a{b}"],
    ["a space", "a b"],
    ["a glob character", "a*"],
    ["101 characters", "n".repeat(101)],
  ])("refuses a namespace with %s, as every backend does, with a ValidationError naming it", async (_what, namespace) => {
    const error = await ctx.open(namespace).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain("Invalid namespace");
    expect((error as Error).message).toContain("use 1-100 letters, digits, '_', '-', '.' or ':'");
  });

  it("accepts a namespace with letters, digits, '_', '-', '.' and ':'", async () => {
    const backend = await ctx.open(`${ctx.namespace}:app_1.v-2`);
    expect(await backend.submit([queuedMessage("q")])).toEqual(["created"]);
  });

  it("shares queues, results, values and locks between backends of the same namespace", async () => {
    const twin = await ctx.open(ctx.namespace);
    const message = queuedMessage("q");
    await ctx.backend.submit([message]);
    await ctx.backend.setValue("key", "value");
    await ctx.backend.setResult(message, { value: "result", ttlMs: null, progenitorUuid: null });
    await ctx.backend.acquireLock("lock", "owner-a", null);
    expect(twin.namespace).toBe(ctx.backend.namespace);
    expect(await twin.getValue("key")).toBe("value");
    expect(await twin.getResults([message], { keep: true })).toEqual([{ uuid: message.uuid, value: "result" }]);
    expect(await twin.lockHolder("lock")).toBe("owner-a");
    const { messages } = await twin.claim({ queues: ["q"], limit: 1, leaseMs: 60_000 });
    expect(messages[0]?.data).toEqual(message.data);
    expect(await ctx.backend.ack(messages[0]?.lease ?? message)).toBe("ok");
  });

  it("never lets two namespaces on the same storage see each other's data", async () => {
    const other = await ctx.open(`${ctx.namespace}_other_${randomUUID().slice(0, 4)}`);
    const mine = queuedMessage("q");
    const theirs = { ...queuedMessage("q", { uuid: mine.uuid }), data: { ...mine.data, args: ["theirs"] } };
    expect(await ctx.backend.submit([mine])).toEqual(["created"]);
    expect(await other.submit([theirs])).toEqual(["created"]);
    await other.setValue("key", "theirs");
    await other.setResult(theirs, { value: "theirs", ttlMs: null, progenitorUuid: null });
    await other.acquireLock("lock", "owner-b", null);
    await other.submit([queuedMessage("only_theirs")]);
    const heard: unknown[] = [];
    await ctx.backend.subscribe("channel", (value) => heard.push(value));
    await other.publish("channel", "theirs");

    const { messages } = await ctx.backend.claim({ queues: ["q", "only_theirs"], limit: 10, leaseMs: 60_000 });
    expect(messages.map((claimed) => claimed.data)).toEqual([mine.data]);
    expect(await ctx.backend.getValue("key")).toBeUndefined();
    expect(await ctx.backend.count()).toBe(0);
    expect(await ctx.backend.getResults([mine], { keep: true })).toEqual([null]);
    expect(await ctx.backend.lockHolder("lock")).toBeNull();
    expect(await ctx.backend.listQueues()).toEqual(["q"]);

    expect(await ctx.backend.clear()).toBeGreaterThan(0);
    expect(await other.getMessage(theirs)).toEqual(theirs.data);
    expect(await other.getValue("key")).toBe("theirs");
    // Delivery on the shared channel name would have had every chance to arrive by now.
    await ctx.backend.publish("channel", "mine");
    await ctx.eventually("our own value arrives", async () => (heard.length > 0 ? true : undefined));
    expect(heard).toEqual(["mine"]);
  });
}
