import { expect, it } from "vitest";
import type { ClaimedMessage, QueuedMessage } from "@alsek/core";
import { queuedMessage } from "./message-fixtures.js";
import type { SuiteContext } from "./suite-context.js";

const LONG_LEASE_MS = 60_000;
const SHORT_LEASE_MS = 150;

/** Leases, their expiry and the fenced (and unfenced) writes. */
export function registerLeaseTests(ctx: SuiteContext): void {
  const claimOne = async (queue = "q", leaseMs = LONG_LEASE_MS): Promise<ClaimedMessage> => {
    const { messages } = await ctx.backend.claim({ queues: [queue], limit: 1, leaseMs });
    const [first] = messages;
    if (first === undefined) throw new Error(`Expected a claimable message in queue ${queue}.`);
    return first;
  };

  const submitAndClaim = async (leaseMs = LONG_LEASE_MS): Promise<[QueuedMessage, ClaimedMessage]> => {
    const message = queuedMessage("q");
    await ctx.backend.submit([message]);
    return [message, await claimOne("q", leaseMs)];
  };

  const reclaimAfterExpiry = (queue = "q"): Promise<ClaimedMessage> =>
    ctx.eventually("the expired lease is claimable again", async () => {
      const { messages } = await ctx.backend.claim({ queues: [queue], limit: 1, leaseMs: LONG_LEASE_MS });
      return messages[0];
    });

  it("makes a message whose lease expired claimable again, data untouched and expiredLeases counted", async () => {
    const [message, first] = await submitAndClaim(SHORT_LEASE_MS);
    const second = await reclaimAfterExpiry();
    expect(second.lease.uuid).toBe(message.uuid);
    expect(second.lease.token).not.toBe(first.lease.token);
    expect(second.data).toEqual(message.data);
    expect(second.expiredLeases).toBe(1);
  });

  it("rejects every write made with a stale lease after the message was claimed again", async () => {
    const [message, stale] = await submitAndClaim(SHORT_LEASE_MS);
    const current = await reclaimAfterExpiry();
    const changed = { ...message.data, retries: 1 };
    expect(await ctx.backend.ack(stale.lease)).toBe("lost");
    expect(await ctx.backend.retry(stale.lease, changed, 0)).toBe("lost");
    expect(await ctx.backend.fail(stale.lease, changed, LONG_LEASE_MS)).toBe("lost");
    expect(await ctx.backend.release(stale.lease)).toBe("lost");
    expect(await ctx.backend.remove(stale.lease)).toBe("lost");
    expect(await ctx.backend.renew([stale.lease], LONG_LEASE_MS)).toEqual(["lost"]);
    expect(await ctx.backend.getMessage(message)).toEqual(message.data);
    expect(await ctx.backend.getDeadLetter(message)).toBeNull();
    expect(await ctx.backend.countQueue("q")).toEqual({ ready: 0, delayed: 0, active: 1, dead: 0 });
    expect(await ctx.backend.ack(current.lease)).toBe("ok");
  });

  it("rejects lease writes on a message that was released and is no longer leased", async () => {
    const [message, claimed] = await submitAndClaim();
    expect(await ctx.backend.release(claimed.lease)).toBe("ok");
    expect(await ctx.backend.ack(claimed.lease)).toBe("lost");
    expect(await ctx.backend.renew([claimed.lease], LONG_LEASE_MS)).toEqual(["lost"]);
    expect(await ctx.backend.getMessage(message)).toEqual(message.data);
  });

  it("renews a held lease to leaseMs from now, reporting ok, lost and gone per lease in order", async () => {
    const [, held] = await submitAndClaim();
    const [, acked] = await submitAndClaim();
    expect(await ctx.backend.ack(acked.lease)).toBe("ok");
    const forged = { ...held.lease, token: "not-the-token" };
    expect(await ctx.backend.renew([held.lease, forged, acked.lease], SHORT_LEASE_MS)).toEqual(["ok", "lost", "gone"]);
    // The 60 s lease was shortened to 150 ms, so it expires soon.
    const again = await reclaimAfterExpiry();
    expect(again.lease.uuid).toBe(held.lease.uuid);
    expect(again.expiredLeases).toBe(1);
  });

  it("returns gone for every write on a message that no longer exists, but a re-send of the one that removed it", async () => {
    const [message, claimed] = await submitAndClaim();
    expect(await ctx.backend.ack(claimed.lease)).toBe("ok");
    expect(await ctx.backend.ack(claimed.lease)).toBe("ok");
    expect(await ctx.backend.ack(message)).toBe("gone");
    expect(await ctx.backend.retry(claimed.lease, message.data, 0)).toBe("gone");
    expect(await ctx.backend.fail(message, message.data, LONG_LEASE_MS)).toBe("gone");
    expect(await ctx.backend.release(claimed.lease)).toBe("gone");
    expect(await ctx.backend.remove(message)).toBe("gone");
    expect(await ctx.backend.getDeadLetter(message)).toBeNull();
    expect(await ctx.backend.countQueue("q")).toEqual({ ready: 0, delayed: 0, active: 0, dead: 0 });
  });

  it("applies ack, fail and remove by bare reference whatever the message's state", async () => {
    const now = await ctx.now();
    const ready = queuedMessage("q");
    const delayed = queuedMessage("q", { readyAt: now + LONG_LEASE_MS });
    const active = queuedMessage("q");
    await ctx.backend.submit([active, ready, delayed]);
    const claimed = await claimOne();
    expect(claimed.lease.uuid).toBe(active.uuid);
    expect(await ctx.backend.ack({ queue: "q", uuid: ready.uuid })).toBe("ok");
    expect(await ctx.backend.fail({ queue: "q", uuid: delayed.uuid }, delayed.data, LONG_LEASE_MS)).toBe("ok");
    expect(await ctx.backend.remove({ queue: "q", uuid: active.uuid })).toBe("ok");
    expect(await ctx.backend.ack(claimed.lease)).toBe("gone");
    expect(await ctx.backend.getDeadLetter(delayed)).toEqual(delayed.data);
    expect(await ctx.backend.countQueue("q")).toEqual({ ready: 0, delayed: 0, active: 0, dead: 1 });
  });

  it("retries by bare reference a message that is not leased", async () => {
    const message = queuedMessage("q");
    await ctx.backend.submit([message]);
    const changed = { ...message.data, retries: 1 };
    expect(await ctx.backend.retry({ queue: "q", uuid: message.uuid }, changed, 0)).toBe("ok");
    expect((await claimOne()).data).toEqual(changed);
  });

  it("releases a claimed message back to its original place, unchanged and not counted as expired", async () => {
    const submitted = [queuedMessage("q"), queuedMessage("q"), queuedMessage("q")];
    for (const message of submitted) await ctx.backend.submit([message]);
    const first = await claimOne();
    expect(first.lease.uuid).toBe(submitted[0]?.uuid);
    expect(await ctx.backend.release(first.lease)).toBe("ok");
    const { messages } = await ctx.backend.claim({ queues: ["q"], limit: 3, leaseMs: LONG_LEASE_MS });
    expect(messages.map((claimed) => claimed.lease.uuid)).toEqual(submitted.map((message) => message.uuid));
    expect(messages[0]?.data).toEqual(submitted[0]?.data);
    expect(messages[0]?.expiredLeases).toBe(0);
  });

  it("retries with a future readyAt: stores the new data and delays the message", async () => {
    const [message, claimed] = await submitAndClaim();
    const changed = {
      ...message.data,
      retries: 1,
      exceptionDetails: { name: "Error", text: "boom", traceback: null },
    };
    const readyAt = (await ctx.now()) + LONG_LEASE_MS;
    expect(await ctx.backend.retry(claimed.lease, changed, readyAt)).toBe("ok");
    expect(await ctx.backend.getMessage(message)).toEqual(changed);
    expect(await ctx.backend.countQueue("q")).toEqual({ ready: 0, delayed: 1, active: 0, dead: 0 });
    const result = await ctx.backend.claim({ queues: ["q"], limit: 1, leaseMs: LONG_LEASE_MS });
    expect(result.messages).toEqual([]);
    expect(result.nextReadyInMs).toBeGreaterThan(LONG_LEASE_MS / 2);
  });

  it("retries with readyAt now: the message is claimable again at once with the new data", async () => {
    const [message, claimed] = await submitAndClaim();
    const changed = { ...message.data, retries: 1 };
    expect(await ctx.backend.retry(claimed.lease, changed, await ctx.now())).toBe("ok");
    const again = await claimOne();
    expect(again.lease.uuid).toBe(message.uuid);
    expect(again.data).toEqual(changed);
    expect(again.expiredLeases).toBe(0);
  });

  it("fails without a DLQ ttl: the message is gone and no dead letter is kept", async () => {
    const [message, claimed] = await submitAndClaim();
    const [other, otherClaim] = await submitAndClaim();
    expect(await ctx.backend.fail(claimed.lease, message.data, null)).toBe("ok");
    expect(await ctx.backend.fail(otherClaim.lease, other.data, 0)).toBe("ok");
    for (const ref of [message, other]) {
      expect(await ctx.backend.getMessage(ref)).toBeNull();
      expect(await ctx.backend.getDeadLetter(ref)).toBeNull();
    }
    expect(await ctx.backend.countQueue("q")).toEqual({ ready: 0, delayed: 0, active: 0, dead: 0 });
  });

  it("fails with a DLQ ttl: the failed data is kept as a dead letter until the ttl passes", async () => {
    const [kept, keptClaim] = await submitAndClaim();
    const [expiring, expiringClaim] = await submitAndClaim();
    const failedData = { ...kept.data, exceptionDetails: { name: "TypeError", text: "bad", traceback: "at x" } };
    expect(await ctx.backend.fail(keptClaim.lease, failedData, LONG_LEASE_MS)).toBe("ok");
    expect(await ctx.backend.fail(expiringClaim.lease, expiring.data, SHORT_LEASE_MS)).toBe("ok");
    expect(await ctx.backend.getMessage(kept)).toBeNull();
    expect(await ctx.backend.getDeadLetter(kept)).toEqual(failedData);
    await ctx.eventually("the dead letter expires", async () =>
      (await ctx.backend.getDeadLetter(expiring)) === null ? true : undefined,
    );
    expect(await ctx.backend.countQueue("q")).toEqual({ ready: 0, delayed: 0, active: 0, dead: 1 });
  });

  it("acks with a result and a callback in one step", async () => {
    const [message, claimed] = await submitAndClaim();
    const callback = queuedMessage("callbacks", { data: { progenitorUuid: message.uuid } });
    const result = { value: { total: 42, items: ["a"] }, ttlMs: null, progenitorUuid: null };
    expect(await ctx.backend.ack(claimed.lease, { result, callback })).toBe("ok");
    expect(await ctx.backend.getMessage(message)).toBeNull();
    expect(await ctx.backend.getResults([message], { keep: true })).toEqual([{ uuid: message.uuid, value: result.value }]);
    const next = await claimOne("callbacks");
    expect(next.data).toEqual(callback.data);
  });

  it("lists a queue that only callbacks reached", async () => {
    const [message, claimed] = await submitAndClaim();
    const callback = queuedMessage("follow_ups", { data: { progenitorUuid: message.uuid } });
    expect(await ctx.backend.ack(claimed.lease, { callback })).toBe("ok");
    expect((await ctx.backend.countQueue("follow_ups")).ready).toBe(1);
    expect(await ctx.backend.listQueues()).toContain("follow_ups");
  });

  it("acks without options and leaves no result behind", async () => {
    const [message, claimed] = await submitAndClaim();
    expect(await ctx.backend.ack(claimed.lease)).toBe("ok");
    expect(await ctx.backend.getResults([message], { keep: true })).toEqual([null]);
  });

  it("removes a message without a result or a dead letter", async () => {
    const [message, claimed] = await submitAndClaim();
    expect(await ctx.backend.remove(claimed.lease)).toBe("ok");
    expect(await ctx.backend.getMessage(message)).toBeNull();
    expect(await ctx.backend.getDeadLetter(message)).toBeNull();
    expect(await ctx.backend.getResults([message], { keep: true })).toEqual([null]);
    expect((await ctx.backend.claim({ queues: ["q"], limit: 1, leaseMs: LONG_LEASE_MS })).messages).toEqual([]);
  });

  it("gives acks and removes issued together each its own outcome, as if made one after the other (a re-sent ack too)", async () => {
    const messages = [queuedMessage("q"), queuedMessage("q"), queuedMessage("q"), queuedMessage("q2")];
    await ctx.backend.submit(messages);
    const { messages: claimed } = await ctx.backend.claim({ queues: ["q", "q2"], limit: 4, leaseMs: LONG_LEASE_MS });
    const [first, second, third, other] = claimed;
    if (!first || !second || !third || !other) throw new Error("Expected four claimed messages.");
    const outcomes = await Promise.all([
      ctx.backend.ack(first.lease),
      ctx.backend.ack(first.lease),
      ctx.backend.ack({ ...second.lease, token: "not-the-token" }),
      ctx.backend.remove({ queue: "q", uuid: third.lease.uuid }),
      ctx.backend.ack({ queue: "q", uuid: "no-such-uuid", token: "t" }),
      ctx.backend.ack(other.lease),
    ]);
    expect(outcomes).toEqual(["ok", "ok", "lost", "ok", "gone", "ok"]);
    expect(await ctx.backend.countQueue("q")).toEqual({ ready: 0, delayed: 0, active: 1, dead: 0 });
    expect(await ctx.backend.countQueue("q2")).toEqual({ ready: 0, delayed: 0, active: 0, dead: 0 });
    expect(await ctx.backend.ack(second.lease)).toBe("ok");
  });

  it("accepts a new submit of a uuid once its message is gone", async () => {
    const [message, claimed] = await submitAndClaim();
    expect(await ctx.backend.ack(claimed.lease)).toBe("ok");
    expect(await ctx.backend.submit([message])).toEqual(["created"]);
  });
}
