import { Broker, task, type Backend } from "@alsek/core";
import { afterEach, describe, expect, it } from "vitest";
import { InlineWorkerPool } from "./inline-worker-pool.js";
import { until } from "./pool-harness.js";

/** Long enough that no lease can expire during a test: nothing runs twice. */
const LEASE_MS = 120_000;
const DEADLINE_MS = 60_000;
const TEST_TIMEOUT_MS = 120_000;

/** How {@link describeFlowControlPool} gets backends. */
export interface FlowControlPoolSubject {
  /**
   * `count` backends on the same fresh storage and namespace (as separate hosts would open them),
   * and how to dispose of them.
   */
  createBackends(count: number): Promise<{ backends: Backend[]; cleanup(): Promise<void> }>;
}

/** The most start times of `starts` (epoch ms, any order) inside any window `[t, t + windowMs)`. */
export function busiestWindow(starts: readonly number[], windowMs: number): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let busiest = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while (sorted[last]! - sorted[first]! >= windowMs) first += 1;
    busiest = Math.max(busiest, last - first + 1);
  }
  return busiest;
}

/**
 * Register pool-level flow-control tests for one backend, run by real pool engines
 * ({@link InlineWorkerPool}s, tasks in this process): a paused queue is not claimed by a running
 * pool and drains after resume; three pools of 50 slots obey one global rate limit; a task's
 * `rateLimit` option limits that task only.
 */
export function describeFlowControlPool(name: string, subject: FlowControlPoolSubject): void {
  const cleanups: (() => Promise<void>)[] = [];
  const pools: InlineWorkerPool[] = [];

  afterEach(async () => {
    for (const pool of pools.splice(0)) await pool.stop();
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function open(count: number): Promise<Backend[]> {
    const { backends, cleanup } = await subject.createBackends(count);
    cleanups.push(cleanup);
    return backends;
  }

  function start(pool: InlineWorkerPool): InlineWorkerPool {
    pools.push(pool);
    void pool.run();
    return pool;
  }

  describe(`${name} under worker pools, with flow control`, () => {
    it("claims nothing from a paused queue while running tasks finish, and drains the backlog after resume", async () => {
      const [backend] = await open(1);
      const broker = new Broker(backend!);
      const started: string[] = [];
      const finished: string[] = [];
      let openGate: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        openGate = resolve;
      });
      const work = task(broker, { name: "flowPauseWork", queue: "paused", mechanism: "thread", maxRetries: 0 }, async function flowPauseWork(label: string) {
        started.push(label);
        if (label === "running") await gate;
        finished.push(label);
      });
      const probe = task(broker, { name: "flowPauseProbe", queue: "open", mechanism: "thread", maxRetries: 0 }, function flowPauseProbe(label: string) {
        finished.push(label);
      });
      start(new InlineWorkerPool({ tasks: [work, probe], queues: ["paused", "open"], leaseMs: LEASE_MS, capacity: 10 }));
      await work.generate({ args: ["running"] });
      await until("the first message runs", () => started.includes("running"), DEADLINE_MS);

      await broker.pauseQueue("paused");
      expect(await broker.isPaused("paused")).toBe(true);
      await Promise.all(Array.from({ length: 30 }, (_, i) => work.generate({ args: [`backlog-${i}`] })));
      // The pool claims its queues in order, paused first: once it has run a probe submitted
      // after the backlog, it has claimed since the backlog landed, and skipped it.
      for (let round = 0; round < 3; round++) {
        await probe.generate({ args: [`probe-${round}`] });
        await until(`probe ${round} ran`, () => finished.includes(`probe-${round}`), DEADLINE_MS);
      }
      openGate();
      await until("the running task finished while paused", () => finished.includes("running"), DEADLINE_MS);
      await probe.generate({ args: ["probe-last"] });
      await until("the last probe ran", () => finished.includes("probe-last"), DEADLINE_MS);
      expect(started).toEqual(["running"]);
      expect(await backend!.countQueue("paused")).toMatchObject({ ready: 30, active: 0 });

      await broker.resumeQueue("paused");
      await until("the backlog drained after resume", () => finished.filter((l) => l.startsWith("backlog-")).length === 30, DEADLINE_MS);
      expect(await backend!.countQueue("paused")).toEqual({ ready: 0, delayed: 0, active: 0, dead: 0 });
    }, TEST_TIMEOUT_MS);

    it("keeps three pools of 50 slots within one global limit of 100 per second, at 90 or more per second", async () => {
      const backends = await open(3);
      const brokers = backends.map((backend) => new Broker(backend));
      const starts: number[] = [];
      const tasks = brokers.map((broker) =>
        task(broker, { name: "flowLimited", queue: "limited", mechanism: "thread", maxRetries: 0 }, function flowLimited() {
          starts.push(Date.now());
        }),
      );
      await brokers[0]!.setRateLimit("limited", { max: 100, durationMs: 1_000 });
      // Ten windows' worth of work, queued before any pool runs.
      const total = 1_000;
      await brokers[0]!.submitMany(await tasks[0]!.generateMany(Array.from({ length: total }, () => ({ submit: false }))));
      for (const t of tasks) start(new InlineWorkerPool({ tasks: [t], queues: ["limited"], leaseMs: LEASE_MS, capacity: 50 }));
      await until("every message ran", () => starts.length >= total, DEADLINE_MS);
      await until("the queue is empty", async () => (await backends[0]!.countQueue("limited")).active === 0, DEADLINE_MS);
      expect(starts).toHaveLength(total);
      expect(busiestWindow(starts, 1_000)).toBeLessThanOrEqual(100);
      // From the first start to the last: 1000 starts need at least nine full windows after the
      // first; at 90 per second they fit in (1000 / 90) s.
      const sorted = [...starts].sort((a, b) => a - b);
      const spanMs = sorted[total - 1]! - sorted[0]!;
      expect(spanMs).toBeGreaterThanOrEqual(9_000);
      const perSecond = ((total - 100) * 1_000) / spanMs;
      expect(perSecond).toBeGreaterThanOrEqual(90);
    }, TEST_TIMEOUT_MS);

    it("limits a task by its rateLimit option while the other tasks of its queue run", async () => {
      const [backend] = await open(1);
      const broker = new Broker(backend!);
      const limitedStarts: number[] = [];
      const freeDone: number[] = [];
      const limited = task(
        broker,
        { name: "flowTaskLimited", queue: "mixed", mechanism: "thread", maxRetries: 0, rateLimit: { max: 5, durationMs: 1_000 } },
        function flowTaskLimited() {
          limitedStarts.push(Date.now());
        },
      );
      const free = task(broker, { name: "flowTaskFree", queue: "mixed", mechanism: "thread", maxRetries: 0 }, function flowTaskFree() {
        freeDone.push(Date.now());
      });
      // The limited task's backlog is ahead of the free one's in the queue.
      await broker.submitMany([
        ...(await limited.generateMany(Array.from({ length: 15 }, () => ({ submit: false })))),
        ...(await free.generateMany(Array.from({ length: 20 }, () => ({ submit: false })))),
      ]);
      start(new InlineWorkerPool({ tasks: [limited, free], queues: ["mixed"], leaseMs: LEASE_MS, capacity: 20 }));
      await until("every message ran", () => limitedStarts.length === 15 && freeDone.length === 20, DEADLINE_MS);
      expect(await broker.getRateLimit("mixed", { task: "flowTaskLimited" })).toEqual({ max: 5, durationMs: 1_000 });
      expect(await broker.getRateLimit("mixed")).toBeNull();
      expect(busiestWindow(limitedStarts, 1_000)).toBeLessThanOrEqual(5);
      // The free task's messages did not wait behind the limited backlog.
      expect(Math.max(...freeDone)).toBeLessThan(Math.max(...limitedStarts));
    }, TEST_TIMEOUT_MS);
  });
}
