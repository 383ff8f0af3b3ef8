import { expect, it } from "vitest";
import { ValidationError, type ClaimedMessage, type RejectedMessage } from "@alsek/core";
import { MALFORMED_PAYLOADS, type MalformedPayload } from "./malformed-payloads.js";
import { queuedMessage } from "./message-fixtures.js";
import type { SuiteContext } from "./suite-context.js";

/** Long enough that no lease expires during a test: whatever completes did so on its first claim. */
const LEASE_MS = 30_000;

/** Messages whose stored payload cannot be decoded: dead-lettered on their own by `claim`. */
export function registerPoisonMessageTests(ctx: SuiteContext): void {
  const corrupting = (): NonNullable<SuiteContext["replaceStoredPayload"]> => {
    if (ctx.replaceStoredPayload === null) throw new Error("unreachable: the test is skipped without the hook");
    return ctx.replaceStoredPayload;
  };
  const encode = (value: unknown): string => ctx.backend.serializer.forward(value);

  it("refuses to submit a malformed message, naming the field", async () => {
    const message = queuedMessage("q");
    const broken = { ...message, data: { ...message.data, retries: -1 } };
    await expect(ctx.backend.submit([broken])).rejects.toThrow(ValidationError);
    await expect(ctx.backend.submit([broken])).rejects.toThrow(/`retries`/);
    expect((await ctx.backend.countQueue("q")).ready).toBe(0);
  });

  it.skipIf(ctx.replaceStoredPayload === null)(
    "dead-letters a corrupt message on its own: 20 good ones complete on their first lease, 1 goes to the DLQ",
    async () => {
      const good = Array.from({ length: 20 }, () => queuedMessage("q"));
      const corrupt = queuedMessage("q");
      const all = [...good.slice(0, 7), corrupt, ...good.slice(7)];
      for (const message of all) await ctx.backend.submit([message]);
      const payload = encode(corrupt.data).slice(0, 30);
      await corrupting()(ctx.backend, corrupt, payload);
      await expect(ctx.backend.getMessage(corrupt)).rejects.toThrow(new RegExp(`${corrupt.uuid} in queue 'q' cannot be decoded`));
      const done: ClaimedMessage[] = [];
      const rejected: RejectedMessage[] = [];
      await ctx.eventually("the 20 good messages completed", async () => {
        const claim = await ctx.backend.claim({ queues: ["q"], limit: 4, leaseMs: LEASE_MS });
        rejected.push(...(claim.rejected ?? []));
        for (const claimed of claim.messages) {
          expect(await ctx.backend.ack(claimed.lease)).toBe("ok");
          done.push(claimed);
        }
        return done.length >= 20 ? true : undefined;
      });
      expect(done.map((claimed) => claimed.lease.uuid).sort()).toEqual(good.map((m) => m.uuid).sort());
      expect(done.every((claimed) => claimed.expiredLeases === 0)).toBe(true);
      expect(rejected).toHaveLength(1);
      const [entry] = rejected;
      expect(entry).toMatchObject({ queue: "q", uuid: corrupt.uuid });
      expect(entry?.error.name).toBe("MessageDecodeError");
      expect(entry?.error.message).toContain(corrupt.uuid);
      expect(entry?.error.message).toContain("'q'");
      expect(await ctx.backend.countQueue("q")).toEqual({ ready: 0, delayed: 0, active: 0, dead: 1 });
      const dead = await ctx.backend.getDeadLetter(corrupt);
      expect(dead?.exceptionDetails?.name).toBe("MessageDecodeError");
      expect(dead?.exceptionDetails?.text).toContain(corrupt.uuid);
      expect(dead?.metadata?.rawPayload).toBe(payload);
      expect(dead).toMatchObject({ queue: "q", uuid: corrupt.uuid });
    },
  );

  it.skipIf(ctx.replaceStoredPayload === null)(
    "claims 40 good messages and dead-letters 10 malformed ones in the same claim, each naming its field",
    async () => {
      const messages = Array.from({ length: 50 }, () => queuedMessage("q"));
      await ctx.backend.submit(messages);
      const broken = new Map<string, MalformedPayload>();
      for (const [n, shape] of MALFORMED_PAYLOADS.entries()) {
        const target = messages[n * 5 + 2]!;
        broken.set(target.uuid, shape);
        await corrupting()(ctx.backend, target, shape.payload(target.data, encode));
      }
      const claim = await ctx.backend.claim({ queues: ["q"], limit: 50, leaseMs: LEASE_MS });
      expect(claim.messages).toHaveLength(40);
      expect(claim.messages.some((claimed) => broken.has(claimed.lease.uuid))).toBe(false);
      for (const claimed of claim.messages) {
        expect(claimed.data).toEqual(messages.find((m) => m.uuid === claimed.lease.uuid)?.data);
      }
      expect(claim.nextReadyInMs).toBeNull();
      const rejected = claim.rejected ?? [];
      expect(rejected.map((entry) => entry.uuid).sort()).toEqual([...broken.keys()].sort());
      for (const entry of rejected) {
        const shape = broken.get(entry.uuid)!;
        expect({ shape: shape.name, field: entry.error.field }).toEqual({ shape: shape.name, field: shape.field });
        if (shape.field !== null) expect(entry.error.message).toContain(`\`${shape.field}\``);
        expect((await ctx.backend.getDeadLetter(entry))?.exceptionDetails?.name).toBe("MessageDecodeError");
      }
      expect(await ctx.backend.countQueue("q")).toEqual({ ready: 0, delayed: 0, active: 40, dead: 10 });
    },
  );

  it.skipIf(ctx.replaceStoredPayload === null)(
    "counts rejected messages toward the claim's limit and drops them when the DLQ is off",
    async () => {
      const messages = Array.from({ length: 4 }, () => queuedMessage("q"));
      await ctx.backend.submit(messages);
      await corrupting()(ctx.backend, messages[0]!, "{");
      const claim = await ctx.backend.claim({ queues: ["q"], limit: 2, leaseMs: LEASE_MS, deadLetterTtlMs: null });
      expect(claim.rejected?.map((entry) => entry.uuid)).toEqual([messages[0]!.uuid]);
      expect(claim.messages.map((claimed) => claimed.lease.uuid)).toEqual([messages[1]!.uuid]);
      expect(claim.nextReadyInMs).toBeNull();
      expect(await ctx.backend.getDeadLetter(messages[0]!)).toBeNull();
      expect(await ctx.backend.countQueue("q")).toEqual({ ready: 2, delayed: 0, active: 1, dead: 0 });
    },
  );
}
