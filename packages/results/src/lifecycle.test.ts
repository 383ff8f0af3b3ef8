import { expect, it, vi } from "vitest";
import { Broker, Consumer, IntervalTrigger, TaskStatus, WaitTimeoutError, runInline, task } from "@alsek/core";
import type { Message, Task } from "@alsek/core";
import { describeOnBackends } from "./__tests__/backend-cases.js";
import { ResultPool, ResultStore, StatusTracker } from "./index.js";
import type { StatusUpdate } from "./index.js";

let names = 0;

// Core's `Task` is not assignable from a task with typed parameters (its `generate` is contravariant
// in them), so `runInline(sumN, …)` does not type-check yet; widen it here.
const settle = (definedTask: unknown, message: Message) => runInline(definedTask as Task, message);

/**
 * End to end through core's lifecycle: tasks with a status tracker and a result store, a
 * Consumer standing in for a pool, and `runInline` settling each claimed message.
 */
describeOnBackends("statuses and results written by the task lifecycle", ({ backend }) => {
  function setup() {
    const id = ++names;
    const queue = `life_q${id}`;
    const broker = new Broker(backend());
    const statusTracker = new StatusTracker(backend());
    const resultStore = new ResultStore(backend());
    const consumer = new Consumer(broker, { queues: [queue], leaseMs: 60_000 });
    const sumN = task(broker, { name: `sumN${id}`, queue, statusTracker, resultStore }, function sumN(n: number) {
      return (n * (n + 1)) / 2;
    });
    /** Claim and run up to `limit` ready messages of the queue, in claim order. */
    const runNext = async (limit = 1): Promise<Message[]> => {
      const claimed = await consumer.claim(limit);
      for (const message of claimed) await settle(sumN, message);
      return claimed;
    };
    return { id, queue, broker, statusTracker, resultStore, consumer, sumN, runNext };
  }

  it("records SUBMITTED, RUNNING and SUCCEEDED, and stores the result", async () => {
    const { statusTracker, resultStore, consumer, sumN, runNext } = setup();
    const message = await sumN.generate({ args: [100] });
    expect((await statusTracker.get(message)).status).toBe(TaskStatus.SUBMITTED);
    const seen: StatusUpdate[] = [];
    const listening = (async () => {
      for await (const update of statusTracker.listen(message)) seen.push(update);
    })();
    await vi.waitFor(() => expect(seen).toHaveLength(1), { timeout: 10_000, interval: 10 });
    await runNext();
    await listening;
    expect(seen.map((u) => u.status)).toEqual([TaskStatus.SUBMITTED, TaskStatus.RUNNING, TaskStatus.SUCCEEDED]);
    await expect(statusTracker.waitFor(message, TaskStatus.SUCCEEDED, { timeout: 5_000 })).resolves.toBe(
      TaskStatus.SUCCEEDED,
    );
    expect(await resultStore.get(message, { timeout: 5_000 })).toBe(5050);
    await consumer.close();
  });

  it("records RETRYING after a failed attempt and FAILED once retries run out, with no result", async () => {
    const { id, queue, broker, statusTracker, resultStore, consumer } = setup();
    const flaky = task(
      broker,
      { name: `flaky${id}`, queue, statusTracker, resultStore, maxRetries: 1, backoff: null },
      function flaky(): number {
        throw new RangeError("out of range");
      },
    );
    const message = await flaky.generate();
    const [first] = await consumer.claim(1);
    await settle(flaky, first as Message);
    expect((await statusTracker.get(message)).status).toBe(TaskStatus.RETRYING);
    const [second] = await consumer.claim(1);
    await settle(flaky, second as Message);
    expect(await statusTracker.waitFor(message, [TaskStatus.SUCCEEDED, TaskStatus.FAILED])).toBe(TaskStatus.FAILED);
    await expect(resultStore.get(message, { timeout: 50 })).rejects.toBeInstanceOf(WaitTimeoutError);
    await consumer.close();
  });

  it("restarts a message's life when an operator re-submits its dead letter with its first status", async () => {
    const { id, queue, broker, statusTracker, consumer } = setup();
    let calls = 0;
    const once = task(
      broker,
      { name: `failsOnce${id}`, queue, statusTracker, maxRetries: 1, backoff: null },
      function failsOnce(): string {
        calls += 1;
        if (calls <= 2) throw new RangeError("not yet");
        return "done";
      },
    );
    const message = await once.generate();
    for (let i = 0; i < 2; i++) await settle(once, (await consumer.claim(1))[0] as Message);
    expect((await statusTracker.get(message)).status).toBe(TaskStatus.FAILED);
    // A late write of the old life is refused: FAILED is final.
    expect(await statusTracker.set({ ...message, retries: 1 }, TaskStatus.RUNNING)).toBe(false);
    const dead = await broker.syncFromBackend(message);
    dead.retries = 0;
    dead.exceptionDetails = null;
    expect(await broker.submit(dead, { status: statusTracker.prepare(dead, TaskStatus.SUBMITTED) })).toBe("created");
    expect((await statusTracker.get(message)).status).toBe(TaskStatus.SUBMITTED);
    await settle(once, (await consumer.claim(1))[0] as Message);
    expect((await statusTracker.get(message)).status).toBe(TaskStatus.SUCCEEDED);
    await consumer.close();
  });

  it("lets a result expire after the resultTtl given at generate", async () => {
    const { resultStore, consumer, sumN, runNext } = setup();
    const message = await sumN.generate({ args: [3], resultTtl: 200 });
    await runNext();
    await vi.waitFor(async () => expect(await resultStore.exists(message)).toBe(false), {
      timeout: 10_000,
      interval: 50,
    });
    await consumer.close();
  });

  it("returns a callback chain's results in order with descendants", async () => {
    const { resultStore, consumer, sumN, runNext } = setup();
    const chain = [await sumN.defer().generate({ args: [2] }), await sumN.defer().generate({ args: [3] })];
    const root = await sumN.generate({ args: [1], callback: chain });
    const waiting = resultStore.get(root, { descendants: true, timeout: 20_000 });
    for (let i = 0; i < 3; i++) expect(await runNext()).toHaveLength(1);
    await expect(waiting).resolves.toEqual([1, 3, 6]);
    await consumer.close();
  });

  it("collects a trigger's results with descendants, as in the guided tour", async () => {
    const { id, queue, broker, resultStore, consumer } = setup();
    let fires = 0;
    const harvestData = task(
      broker,
      { name: `harvestData${id}`, queue, resultStore, trigger: new IntervalTrigger({ milliseconds: 30 }) },
      function harvestData() {
        fires += 1;
        return fires * 11;
      },
    );
    const stop = new AbortController();
    // A tiny pool: run whatever the trigger submits until the test is done.
    const pool = (async () => {
      while (!stop.signal.aborted) {
        for (const message of await consumer.claim(10)) await settle(harvestData, message);
        await consumer.waitForWork(stop.signal);
      }
    })();
    try {
      const message = await harvestData.generate();
      const first = await resultStore.get(message, { timeout: 30_000, descendants: true });
      expect(first.length).toBeGreaterThan(0);
      const more = await resultStore.get(message, { timeout: 30_000, descendants: true, withMetadata: true });
      expect(more.length).toBeGreaterThan(0);
      const all = [...first, ...more.map((r) => r.result)] as number[];
      // Each fire's result exactly once (read-once), oldest first.
      expect(all).toEqual([...all].sort((a, b) => a - b));
      expect(new Set(all).size).toBe(all.length);
      const timestamps = more.map((r) => r.timestamp);
      expect(timestamps).toEqual([...timestamps].sort((a, b) => a - b));
    } finally {
      harvestData.shutdown();
      stop.abort();
      await pool;
      await consumer.close();
    }
  });

  it("istream follows completion order and stream input order when tasks finish out of order", async () => {
    const { resultStore, consumer, sumN } = setup();
    const pool = new ResultPool(resultStore);
    const messages = [
      await sumN.generate({ args: [10] }),
      await sumN.generate({ args: [100] }),
      await sumN.generate({ args: [1000] }),
    ];
    const claimed = await consumer.claim(3);
    const byUuid = new Map(claimed.map((m) => [m.uuid, m]));
    const finishOrder = [2, 0, 1].map((i) => byUuid.get((messages[i] as Message).uuid) as Message);

    const completed: string[] = [];
    const iterating = (async () => {
      for await (const [message, result] of pool.istream(messages, { keep: true })) {
        completed.push(`${message.uuid}=${String(result)}`);
      }
    })();
    for (const [n, message] of finishOrder.entries()) {
      await settle(sumN, message);
      await vi.waitFor(() => expect(completed).toHaveLength(n + 1), { timeout: 10_000, interval: 10 });
    }
    await iterating;
    const [m0, m1, m2] = messages as Message[] as [Message, Message, Message];
    expect(completed).toEqual([`${m2.uuid}=500500`, `${m0.uuid}=55`, `${m1.uuid}=5050`]);

    const inOrder: string[] = [];
    for await (const [message, result] of pool.stream(messages)) inOrder.push(`${message.uuid}=${String(result)}`);
    expect(inOrder).toEqual([`${m0.uuid}=55`, `${m1.uuid}=5050`, `${m2.uuid}=500500`]);
    await consumer.close();
  });
});
