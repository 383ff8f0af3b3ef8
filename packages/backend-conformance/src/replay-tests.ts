import { expect, it } from "vitest";
import type { ClaimedMessage, QueuedMessage } from "@alsek/core";
import { queuedMessage } from "./message-fixtures.js";
import type { SuiteContext } from "./suite-context.js";

const LEASE_MS = 60_000;

/**
 * Fenced writes re-sent after a lost reply (a client library replays a call whose connection
 * dropped): the re-send answers like the first application and changes nothing.
 */
export function registerReplayTests(ctx: SuiteContext): void {
  const submitAndClaim = async (queue = "q"): Promise<[QueuedMessage, ClaimedMessage]> => {
    const message = queuedMessage(queue);
    await ctx.backend.submit([message]);
    const { messages } = await ctx.backend.claim({ queues: [queue], limit: 1, leaseMs: LEASE_MS });
    if (messages[0] === undefined) throw new Error(`Expected a claimable message in queue ${queue}.`);
    return [message, messages[0]];
  };

  it("answers ok to the same ack applied twice, and stores its result once", async () => {
    const [message, claimed] = await submitAndClaim();
    const result = { value: "done", ttlMs: null, progenitorUuid: null };
    expect(await ctx.backend.ack(claimed.lease, { result })).toBe("ok");
    expect(await ctx.backend.ack(claimed.lease, { result })).toBe("ok");
    expect(await ctx.backend.getResults([message], { keep: false })).toEqual([{ uuid: message.uuid, value: "done" }]);
    expect(await ctx.backend.getResults([message], { keep: false })).toEqual([null]);
    const [, bare] = await submitAndClaim();
    expect(await ctx.backend.ack(bare.lease)).toBe("ok");
    expect(await ctx.backend.ack(bare.lease)).toBe("ok");
    expect(await ctx.backend.countQueue("q")).toEqual({ ready: 0, delayed: 0, active: 0, dead: 0 });
  });

  it("answers ok to the same retry, fail, release and remove applied twice, changing nothing more", async () => {
    const [retried, first] = await submitAndClaim("retried");
    const data = { ...retried.data, retries: 1 };
    expect(await ctx.backend.retry(first.lease, data, 0)).toBe("ok");
    expect(await ctx.backend.retry(first.lease, data, 0)).toBe("ok");
    expect(await ctx.backend.countQueue("retried")).toMatchObject({ ready: 1, active: 0 });
    expect(await ctx.backend.getMessage(retried)).toEqual(data);

    const [failed, second] = await submitAndClaim("failed");
    expect(await ctx.backend.fail(second.lease, failed.data, LEASE_MS)).toBe("ok");
    expect(await ctx.backend.fail(second.lease, failed.data, LEASE_MS)).toBe("ok");
    expect(await ctx.backend.countQueue("failed")).toEqual({ ready: 0, delayed: 0, active: 0, dead: 1 });

    const [released, third] = await submitAndClaim("released");
    expect(await ctx.backend.release(third.lease)).toBe("ok");
    expect(await ctx.backend.release(third.lease)).toBe("ok");
    expect(await ctx.backend.getMessage(released)).toEqual(released.data);
    expect(await ctx.backend.countQueue("released")).toMatchObject({ ready: 1, active: 0 });

    const [, fourth] = await submitAndClaim("removed");
    expect(await ctx.backend.remove(fourth.lease)).toBe("ok");
    expect(await ctx.backend.remove(fourth.lease)).toBe("ok");
  });

  it("answers a re-sent write of the old lease after the next claim took the message as the first time", async () => {
    const [message, first] = await submitAndClaim();
    expect(await ctx.backend.release(first.lease)).toBe("ok");
    const { messages } = await ctx.backend.claim({ queues: ["q"], limit: 1, leaseMs: LEASE_MS });
    const second = messages[0]!;
    expect(await ctx.backend.release(first.lease)).toBe("ok");
    // Only the re-sent operation: any other write of the old lease is refused.
    expect(await ctx.backend.ack(first.lease)).toBe("lost");
    expect(await ctx.backend.getMessage(message)).toEqual(message.data);
    expect(await ctx.backend.ack(second.lease)).toBe("ok");
    expect(await ctx.backend.fail(second.lease, message.data, LEASE_MS)).toBe("gone");
  });
}
