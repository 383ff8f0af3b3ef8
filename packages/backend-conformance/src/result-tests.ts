import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { resultChannel, type ResultWrite } from "@alsek/core";
import { queuedMessage } from "./message-fixtures.js";
import type { SuiteContext } from "./suite-context.js";

const write = (value: unknown, progenitorUuid: string | null = null, ttlMs: number | null = null): ResultWrite => ({
  value,
  ttlMs,
  progenitorUuid,
});

/** Results, their index by progenitor and their notices. */
export function registerResultTests(ctx: SuiteContext): void {
  // Backends may index by write time in ms; stepping the clock keeps "oldest first" unambiguous.
  const nextMillisecond = async (): Promise<void> => {
    const start = await ctx.now();
    while ((await ctx.now()) <= start) await new Promise((resolve) => setTimeout(resolve, 1));
  };

  it("reads a result and deletes it after reading unless keep is set", async () => {
    const ref = { queue: "q", uuid: randomUUID() };
    await ctx.backend.setResult(ref, write({ answer: [4, 2] }));
    expect(await ctx.backend.getResults([ref], { keep: true })).toEqual([{ uuid: ref.uuid, value: { answer: [4, 2] } }]);
    expect(await ctx.backend.getResults([ref], { keep: false })).toEqual([{ uuid: ref.uuid, value: { answer: [4, 2] } }]);
    expect(await ctx.backend.getResults([ref], { keep: false })).toEqual([null]);
  });

  it("returns one entry per ref in order, null where no result exists", async () => {
    const a = { queue: "q", uuid: randomUUID() };
    const b = { queue: "q", uuid: randomUUID() };
    await ctx.backend.setResult(b, write("b"));
    await ctx.backend.setResult({ queue: "other", uuid: a.uuid }, write("a elsewhere"));
    expect(await ctx.backend.getResults([a, b], { keep: true })).toEqual([null, { uuid: b.uuid, value: "b" }]);
  });

  it("stores null and falsy results as values, not as absence", async () => {
    const refs = [null, 0, false, ""].map(() => ({ queue: "q", uuid: randomUUID() }));
    const values = [null, 0, false, ""];
    for (const [index, ref] of refs.entries()) await ctx.backend.setResult(ref, write(values[index]));
    const read = await ctx.backend.getResults(refs, { keep: true });
    expect(read.map((stored) => stored?.value)).toEqual(values);
  });

  it("expires a result after its ttlMs", async () => {
    const ref = { queue: "q", uuid: randomUUID() };
    await ctx.backend.setResult(ref, write("short-lived", null, 150));
    await ctx.eventually("the result expires", async () =>
      (await ctx.backend.getResults([ref], { keep: true }))[0] === null ? true : undefined,
    );
  });

  it("indexes results under their progenitor and lists them oldest write first", async () => {
    const progenitor = randomUUID();
    const children = [randomUUID(), randomUUID(), randomUUID()];
    for (const uuid of children) {
      await ctx.backend.setResult({ queue: "q", uuid }, write(uuid, progenitor));
      await nextMillisecond();
    }
    await ctx.backend.setResult({ queue: "q", uuid: randomUUID() }, write("unrelated"));
    await ctx.backend.setResult({ queue: "other", uuid: randomUUID() }, write("other queue", progenitor));
    expect(await ctx.backend.descendantResults("q", progenitor)).toEqual(children);
    expect(await ctx.backend.descendantResults("q", randomUUID())).toEqual([]);
  });

  it("drops a result from the index once it was read without keep or deleted", async () => {
    const progenitor = randomUUID();
    const [read, deleted, kept] = [randomUUID(), randomUUID(), randomUUID()];
    for (const uuid of [read, deleted, kept]) {
      await ctx.backend.setResult({ queue: "q", uuid }, write(uuid, progenitor));
      await nextMillisecond();
    }
    await ctx.backend.getResults([{ queue: "q", uuid: read }], { keep: false });
    expect(await ctx.backend.deleteResults([{ queue: "q", uuid: deleted }])).toBe(1);
    expect(await ctx.backend.descendantResults("q", progenitor)).toEqual([kept]);
  });

  it("deletes results and counts those that existed", async () => {
    const refs = [randomUUID(), randomUUID()].map((uuid) => ({ queue: "q", uuid }));
    for (const ref of refs) await ctx.backend.setResult(ref, write(ref.uuid));
    expect(await ctx.backend.deleteResults([...refs, { queue: "q", uuid: randomUUID() }])).toBe(2);
    expect(await ctx.backend.getResults(refs, { keep: true })).toEqual([null, null]);
    expect(await ctx.backend.deleteResults(refs)).toBe(0);
  });

  it("announces a stored result's uuid on the result channel of its progenitor, or its own", async () => {
    const progenitor = randomUUID();
    const solo = { queue: "q", uuid: randomUUID() };
    const heard: { channel: string; value: unknown }[] = [];
    for (const channel of [resultChannel(progenitor), resultChannel(solo.uuid)]) {
      await ctx.backend.subscribe(channel, (value) => heard.push({ channel, value }));
    }
    const message = queuedMessage("q", { data: { progenitorUuid: progenitor } });
    await ctx.backend.submit([message]);
    const { messages } = await ctx.backend.claim({ queues: ["q"], limit: 1, leaseMs: 60_000 });
    const lease = messages[0]?.lease;
    if (lease === undefined) throw new Error("Expected a claimable message.");
    expect(await ctx.backend.ack(lease, { result: write("done", progenitor) })).toBe("ok");
    await ctx.backend.setResult(solo, write("solo"));
    await ctx.eventually("both result notices arrive", async () => (heard.length >= 2 ? true : undefined));
    expect(heard).toEqual(
      expect.arrayContaining([
        { channel: resultChannel(progenitor), value: message.uuid },
        { channel: resultChannel(solo.uuid), value: solo.uuid },
      ]),
    );
  });

  it("throws, changing nothing, when the serializer refuses an ack's result or callback", async () => {
    const message = queuedMessage("q");
    await ctx.backend.submit([message]);
    const { messages } = await ctx.backend.claim({ queues: ["q"], limit: 1, leaseMs: 60_000 });
    const lease = messages[0]?.lease;
    if (lease === undefined) throw new Error("Expected a claimable message.");
    // No serializer stores a function unchanged.
    await expect(ctx.backend.ack(lease, { result: write({ done: () => 1 }) })).rejects.toThrow();
    const callback = queuedMessage("q", { data: { args: [() => 1] } });
    await expect(ctx.backend.ack(lease, { callback })).rejects.toThrow();
    expect(await ctx.backend.getResults([message], { keep: true })).toEqual([null]);
    expect(await ctx.backend.getMessage(callback)).toBeNull();
    // Still leased by the same claim: the settler can fail the attempt with it.
    expect(await ctx.backend.ack(lease, { result: write("stored") })).toBe("ok");
    expect(await ctx.backend.getResults([message], { keep: true })).toEqual([{ uuid: message.uuid, value: "stored" }]);
  });
}
