import { TaskStatus, type Message } from "@alsek/core";
import type { WorkerPool } from "@alsek/worker";
import { MALFORMED_PAYLOADS } from "@alsek/backend-conformance";
import { expect, it } from "vitest";
import { until } from "./pool-harness.js";
import type { PoolTestContext } from "./pool-test-context.js";

/** Long enough that no lease can expire before the deadline: whatever completes did so on its first lease. */
const LEASE_MS = 120_000;
/** Generous for a loaded machine, and still half the lease. */
const DEADLINE_MS = 60_000;
/** Per test: the deadline plus the pool's start and stop. */
const TEST_TIMEOUT_MS = 90_000;

/** Messages whose stored data cannot be decoded: they are dead-lettered alone, the pool runs on. */
export function registerPoisonMessageBehaviour<P extends WorkerPool, O extends object>(ctx: PoolTestContext<P, O>): void {
  /** Overwrite the stored data of `message`, as a bad producer would. */
  const corrupt = (message: Message, payload: string): Promise<void> =>
    ctx.backendFixture.replaceStoredPayload(ctx.tasks.backend, message, payload);

  /** Runs a pool over `good` and `broken` (already stored); returns what it reported. */
  const drain = async (good: readonly Message[], broken: ReadonlyMap<string, string | null>) => {
    const failures: [Message, Error][] = [];
    const p = ctx.start({ capacity: 4, leaseMs: LEASE_MS });
    p.on("failed", (message, error) => failures.push([message, error as Error]));
    // Well inside the lease: nothing here may wait for a lease to expire.
    await until(
      "every good message ran and every broken one was dead-lettered",
      async () => {
        const results = await Promise.all(good.map((m) => ctx.result(m)));
        return results.every((value, i) => value === i + 1) && failures.length >= broken.size;
      },
      DEADLINE_MS,
    );
    return { pool: p, failures };
  };

  it("dead-letters one corrupt message on its own while the 20 claimed with it complete on their first lease", async () => {
    const { add, backend, broker } = ctx.tasks;
    const good = await Promise.all(Array.from({ length: 20 }, (_, i) => add.generate({ args: [i, 1], submit: false })));
    const bad = await add.generate({ args: [0, 0], submit: false });
    await broker.submitMany([...good.slice(0, 10), bad, ...good.slice(10)]);
    await corrupt(bad, JSON.stringify(bad.data).slice(0, 30));
    const { failures } = await drain(good, new Map([[bad.uuid, null]]));
    expect(failures.map(([message, error]) => [message.uuid, error.name])).toEqual([[bad.uuid, "MessageDecodeError"]]);
    expect(failures[0]![1].message).toContain(bad.uuid);
    expect(failures[0]![1].message).toContain(`'${bad.queue}'`);
    const dead = await ctx.deadLetter(bad);
    expect(dead?.exceptionDetails?.name).toBe("MessageDecodeError");
    expect(dead?.metadata?.rawPayload).toBe(JSON.stringify(bad.data).slice(0, 30));
    expect(await backend.countQueue("alsek_queue")).toEqual({ ready: 0, delayed: 0, active: 0, dead: 1 });
  }, TEST_TIMEOUT_MS);

  it("runs 40 good messages and dead-letters 10 malformed ones, each naming its field, and keeps running", async () => {
    const { add, sleepThenWrite, backend, broker } = ctx.tasks;
    const good = await Promise.all(Array.from({ length: 40 }, (_, i) => add.generate({ args: [i, 1], submit: false })));
    // One broken message belongs to a task that records statuses: it must end FAILED.
    const tracked = await sleepThenWrite.generate({ args: ["never", 1], submit: false });
    const others = await Promise.all(MALFORMED_PAYLOADS.slice(1).map(() => add.generate({ args: [0, 0], submit: false })));
    const broken = [tracked, ...others];
    await broker.submitMany([...good.slice(0, 20), ...broken, ...good.slice(20)]);
    // The tracked message gets `args` a string: its task name stays readable, so its status can be found.
    const argsShape = MALFORMED_PAYLOADS.find(({ field }) => field === "args")!;
    const shapes = [argsShape, ...MALFORMED_PAYLOADS.filter((shape) => shape !== argsShape)];
    const fields = new Map<string, string | null>();
    const encode = (value: unknown): string => backend.serializer.forward(value);
    for (const [n, message] of broken.entries()) {
      fields.set(message.uuid, shapes[n]!.field);
      await corrupt(message, shapes[n]!.payload(message.data, encode));
    }
    const { pool, failures } = await drain(good, fields);
    expect(failures.map(([, error]) => error.name)).toEqual(Array(10).fill("MessageDecodeError"));
    expect(new Map(failures.map(([message, error]) => [message.uuid, (error as Error & { field: unknown }).field]))).toEqual(fields);
    expect(await backend.countQueue("alsek_queue")).toEqual({ ready: 0, delayed: 0, active: 0, dead: 10 });
    expect(await backend.getValue(`status:${tracked.uuid}`)).toBe(TaskStatus.FAILED);
    expect(pool.running).toBe(true);
    const after = await add.generate({ args: [20, 22] });
    await until("the pool still works", async () => (await ctx.result(after)) === 42);
  }, TEST_TIMEOUT_MS);
}
