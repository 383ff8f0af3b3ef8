import {
  Broker,
  TaskStatus,
  task,
  type Backend,
  type Message,
  type MessageRef,
  type ResultSink,
  type StatusSink,
} from "@alsek/core";
import { MALFORMED_PAYLOADS } from "@alsek/backend-conformance";
import { afterEach, describe, expect, it } from "vitest";
import { InlineWorkerPool } from "./inline-worker-pool.js";
import { until } from "./pool-harness.js";

/** Long enough that no lease can expire before the deadline: whatever completes did so on its first lease. */
const LEASE_MS = 120_000;
/** Generous for a loaded machine, and still half the lease. */
const DEADLINE_MS = 60_000;
/** Per test: the deadline plus the pool's start and stop. */
const TEST_TIMEOUT_MS = 90_000;

/** How {@link describePoisonMessagePool} gets a backend and damages what it stores. */
export interface PoisonPoolSubject {
  /** A fresh, empty backend and how to dispose of it. */
  createBackend(): Promise<{ backend: Backend; cleanup(): Promise<void> }>;
  /** Overwrite the stored data of a queued message (see the conformance option of the same name). */
  replaceStoredPayload(backend: Backend, ref: MessageRef, payload: string): Promise<void>;
}

/**
 * Register pool-level poison-message tests for one backend (Memory, SQLite, ...), run by an
 * {@link InlineWorkerPool}: 20 good messages and 1 corrupt one, then 40 good and 10 malformed
 * ones in one queue; the good ones all complete on their first lease (120 s, never reached), the
 * broken ones are dead-lettered with the field named, and the pool keeps running.
 */
export function describePoisonMessagePool(name: string, subject: PoisonPoolSubject): void {
  const cleanups: (() => Promise<void>)[] = [];
  const pools: InlineWorkerPool[] = [];

  afterEach(async () => {
    for (const pool of pools.splice(0)) await pool.stop();
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function setup() {
    const { backend, cleanup } = await subject.createBackend();
    cleanups.push(cleanup);
    const broker = new Broker(backend);
    const resultStore: ResultSink = { backend, prepare: (_m, value) => ({ value, ttlMs: null, progenitorUuid: null }) };
    const statusTracker: StatusSink = {
      backend,
      set: async (message, status) => {
        await backend.setValue(`status:${message.uuid}`, status);
      },
    };
    const add = task(broker, { name: "poisonAdd", mechanism: "thread", maxRetries: 0, resultStore }, function poisonAdd(a: number, b: number) {
      return a + b;
    });
    const tracked = task(broker, { name: "poisonTracked", mechanism: "thread", maxRetries: 0, statusTracker }, function poisonTracked() {
      return 0;
    });
    const result = async (message: Message) => (await backend.getResults([message], { keep: true }))[0]?.value;
    const run = async (good: readonly Message[], brokenCount: number) => {
      const failures: [Message, Error & { field?: unknown }][] = [];
      const pool = new InlineWorkerPool({ tasks: [add, tracked], queues: ["poison"], leaseMs: LEASE_MS });
      pools.push(pool);
      pool.on("failed", (message, error) => failures.push([message, error as Error]));
      void pool.run();
      await until(
        "every good message ran and every broken one was dead-lettered",
        async () => {
          const results = await Promise.all(good.map(result));
          return results.every((value, i) => value === i + 1) && failures.length >= brokenCount;
        },
        DEADLINE_MS,
      );
      return { pool, failures };
    };
    const encode = (value: unknown): string => backend.serializer.forward(value);
    return { backend, broker, add, tracked, run, result, encode };
  }

  describe(`${name} under a worker pool, with poison messages`, () => {
    it("dead-letters one corrupt message on its own while the 20 claimed with it complete", async () => {
      const { backend, broker, add, run, encode } = await setup();
      const good = await Promise.all(Array.from({ length: 20 }, (_, i) => add.generate({ args: [i, 1], queue: "poison", submit: false })));
      const bad = await add.generate({ args: [0, 0], queue: "poison", submit: false });
      await broker.submitMany([...good.slice(0, 10), bad, ...good.slice(10)]);
      const payload = encode(bad.data).slice(0, 30);
      await subject.replaceStoredPayload(backend, bad, payload);
      const { failures } = await run(good, 1);
      expect(failures.map(([message, error]) => [message.uuid, error.name])).toEqual([[bad.uuid, "MessageDecodeError"]]);
      expect(failures[0]![1].message).toContain(`${bad.uuid} in queue 'poison'`);
      const dead = await backend.getDeadLetter(bad);
      expect(dead?.metadata?.rawPayload).toBe(payload);
      expect(await backend.countQueue("poison")).toEqual({ ready: 0, delayed: 0, active: 0, dead: 1 });
    }, TEST_TIMEOUT_MS);

    it("runs 40 good messages, dead-letters 10 malformed ones naming each field, and keeps running", async () => {
      const { backend, broker, add, tracked, run, result, encode } = await setup();
      const good = await Promise.all(Array.from({ length: 40 }, (_, i) => add.generate({ args: [i, 1], queue: "poison", submit: false })));
      const argsShape = MALFORMED_PAYLOADS.find(({ field }) => field === "args")!;
      const shapes = [argsShape, ...MALFORMED_PAYLOADS.filter((shape) => shape !== argsShape)];
      // The first broken message belongs to a task that records statuses: it must end FAILED.
      const broken = [
        await tracked.generate({ queue: "poison", submit: false }),
        ...(await Promise.all(shapes.slice(1).map(() => add.generate({ args: [0, 0], queue: "poison", submit: false })))),
      ];
      await broker.submitMany([...good.slice(0, 20), ...broken, ...good.slice(20)]);
      const fields = new Map<string, string | null>();
      for (const [n, message] of broken.entries()) {
        fields.set(message.uuid, shapes[n]!.field);
        await subject.replaceStoredPayload(backend, message, shapes[n]!.payload(message.data, encode));
      }
      const { pool, failures } = await run(good, broken.length);
      expect(failures.map(([, error]) => error.name)).toEqual(Array(10).fill("MessageDecodeError"));
      expect(new Map(failures.map(([message, error]) => [message.uuid, error.field]))).toEqual(fields);
      expect(await backend.countQueue("poison")).toEqual({ ready: 0, delayed: 0, active: 0, dead: 10 });
      expect(await backend.getValue(`status:${broken[0]!.uuid}`)).toBe(TaskStatus.FAILED);
      expect(pool.running).toBe(true);
      const after = await add.generate({ args: [20, 22], queue: "poison" });
      await until("the pool still works", async () => (await result(after)) === 42);
    }, TEST_TIMEOUT_MS);
  });
}
