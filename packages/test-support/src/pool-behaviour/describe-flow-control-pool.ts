import { Broker, task, type Backend } from "@alsek/core";
import { afterEach, describe, expect, it } from "vitest";
import { InlineWorkerPool } from "./inline-worker-pool.js";
import { startLimitedPoolProcess, type LimitedPoolProcess } from "./limited-pool-process.js";
import { until } from "./pool-harness.js";

/** Long enough that no lease can expire during a test: nothing runs twice. */
const LEASE_MS = 120_000;
const DEADLINE_MS = 60_000;
const TEST_TIMEOUT_MS = 120_000;

/** How {@link describeFlowControlPool} gets backends. */
export interface FlowControlPoolSubject {
  /**
   * `count` backends on the same fresh storage and namespace (as separate hosts would open them),
   * recording event streams (`events: true`: the rate-limit test reads the claim times from the
   * `started` events), and how to dispose of them.
   */
  createBackends(count: number): Promise<{
    backends: Backend[];
    cleanup(): Promise<void>;
    /**
     * How a child process opens the same storage and namespace (with events on too): a module
     * exporting `openBackend(args: string[]): Backend`, and the args. When given, the three pools
     * of the rate-limit test run in three processes (each with its own event loop, as on separate
     * hosts); without it (MemoryBackend), in this process.
     */
    poolProcess?: { moduleUrl: string; args: string[] };
  }>;
}

/** The most times of `starts` (epoch ms, any order) inside any window `[t, t + windowMs)`. */
export function busiestWindow(starts: readonly number[], windowMs: number): number {
  return busiestWindowAt(starts, windowMs).count;
}

/** The `at` of every `started` event of `uuids` in `queue`'s stream: when each was claimed, on the backend's clock. */
async function claimTimes(backend: Backend, queue: string, uuids: ReadonlySet<string>): Promise<number[]> {
  const times: number[] = [];
  let after: string | null = null;
  for (;;) {
    const events = await backend.readEvents(queue, { after, limit: 1_000 });
    for (const event of events) if (event.type === "started" && uuids.has(event.uuid)) times.push(event.at);
    if (events.length < 1_000) return times;
    after = events.at(-1)!.id;
  }
}

/** {@link busiestWindow} with where that window starts, for failure messages. */
function busiestWindowAt(starts: readonly number[], windowMs: number): { count: number; from: number } {
  const sorted = [...starts].sort((a, b) => a - b);
  let busiest = { count: 0, from: sorted[0] ?? 0 };
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while (sorted[last]! - sorted[first]! >= windowMs) first += 1;
    if (last - first + 1 > busiest.count) busiest = { count: last - first + 1, from: sorted[first]! };
  }
  return busiest;
}

/** Times as ms after the first, grouped into runs within 20 ms of each other. */
function describeStarts(starts: readonly number[]): string {
  const sorted = [...starts].sort((a, b) => a - b);
  const origin = sorted[0] ?? 0;
  const runs: { at: number; n: number; last: number }[] = [];
  for (const start of sorted) {
    const run = runs.at(-1);
    if (run !== undefined && start - run.last <= 20) {
      run.n += 1;
      run.last = start;
    } else runs.push({ at: start - origin, n: 1, last: start });
  }
  return runs.map((run) => `${run.n}@${run.at}..${run.last - origin}`).join(" ");
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
    return (await openWithProcesses(count)).backends;
  }

  async function openWithProcesses(count: number) {
    const opened = await subject.createBackends(count);
    cleanups.push(opened.cleanup);
    return opened;
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
      // The tasks record before their acks land.
      await until("every ack landed", async () => (await backend!.countQueue("paused")).active === 0, DEADLINE_MS);
      expect(await backend!.countQueue("paused")).toEqual({ ready: 0, delayed: 0, active: 0, dead: 0 });
    }, TEST_TIMEOUT_MS);

    it("keeps the claims of three pools of 50 slots within one global limit of 100 per second, claiming again as each window frees", async () => {
      const { backends, poolProcess } = await openWithProcesses(3);
      const brokers = backends.map((backend) => new Broker(backend));
      const inProcessStarts: number[] = [];
      const tasks = brokers.map((broker) =>
        task(broker, { name: "flowLimited", queue: "limited", mechanism: "thread", maxRetries: 0 }, function flowLimited() {
          inProcessStarts.push(Date.now());
        }),
      );
      const children: LimitedPoolProcess[] = [];
      if (poolProcess === undefined) {
        for (const t of tasks) start(new InlineWorkerPool({ tasks: [t], queues: ["limited"], leaseMs: LEASE_MS, capacity: 50 }));
      } else {
        for (let n = 0; n < 3; n++) children.push(startLimitedPoolProcess(poolProcess.moduleUrl, poolProcess.args, 50, LEASE_MS));
      }
      const startLists = (): (readonly number[])[] => (poolProcess === undefined ? [inProcessStarts] : children.map((child) => child.starts));
      const startsSoFar = (): number[] => startLists().flat();
      const total = 1_000;
      let starts: number[];
      let measuredUuids = new Set<string>();
      try {
        // Warm pools first: a process's first claims start late (modules load, code warms up), and
        // the limit counts claims. 60 unlimited messages, then the measured run.
        await Promise.all(children.map((child) => child.started));
        await brokers[0]!.submitMany(await tasks[0]!.generateMany(Array.from({ length: 60 }, () => ({ submit: false }))));
        await until("the warm-up ran", () => startsSoFar().length >= 60, DEADLINE_MS);
        // The measured starts are those after the warm-up's, per list (not by time: a warm-up
        // start and this moment can share a millisecond).
        const warmUpCounts = startLists().map((list) => list.length);
        await brokers[0]!.setRateLimit("limited", { max: 100, durationMs: 1_000 });
        // Ten windows' worth of work, queued at once.
        const work = await tasks[0]!.generateMany(Array.from({ length: total }, () => ({ submit: false })));
        measuredUuids = new Set(work.map((message) => message.uuid));
        await brokers[0]!.submitMany(work);
        const measured = (): number[] => startLists().flatMap((list, i) => list.slice(warmUpCounts[i]));
        await until("every message ran", () => measured().length >= total, DEADLINE_MS);
        await until("the queue is empty", async () => (await backends[0]!.countQueue("limited")).active === 0, DEADLINE_MS);
        starts = measured();
      } finally {
        await Promise.all(children.map((child) => child.stop()));
      }
      // Every message ran once: a message run twice would make more starts.
      expect(starts).toHaveLength(total);
      // The limit counts claims, on the backend's clock: the claim times recorded with each
      // `started` event (in the claim's own step). Start times lag claims by however busy the
      // machine is, so they are not what is checked.
      const claims = await claimTimes(backends[0]!, "limited", measuredUuids);
      expect(claims).toHaveLength(total);
      const busiest = busiestWindowAt(claims, 1_000);
      expect(busiest.count, `claims (count@from..to ms): ${describeStarts(claims)}; busiest window from ${busiest.from - Math.min(...claims)}`).toBeLessThanOrEqual(100);
      // From the first claim to the last: 1000 claims need at least nine full windows after the
      // first.
      const sorted = [...claims].sort((a, b) => a - b);
      const spanMs = sorted[total - 1]! - sorted[0]!;
      expect(spanMs).toBeGreaterThanOrEqual(9_000);
      // A pool stopped by the limit claims again when the window frees (the claim says when), not
      // when its idle wait ends: no pause between two claims as long as that wait (5 s). (How
      // close the rate comes to the limit depends on the machine's load, so no rate is asserted.)
      const longestPauseMs = Math.max(...sorted.slice(1).map((at, i) => at - sorted[i]!));
      expect(longestPauseMs).toBeLessThan(5_000);
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
      const limitedMessages = await limited.generateMany(Array.from({ length: 15 }, () => ({ submit: false })));
      await broker.submitMany([...limitedMessages, ...(await free.generateMany(Array.from({ length: 20 }, () => ({ submit: false }))))]);
      start(new InlineWorkerPool({ tasks: [limited, free], queues: ["mixed"], leaseMs: LEASE_MS, capacity: 20 }));
      await until("every message ran", () => limitedStarts.length === 15 && freeDone.length === 20, DEADLINE_MS);
      expect(await broker.getRateLimit("mixed", { task: "flowTaskLimited" })).toEqual({ max: 5, durationMs: 1_000 });
      expect(await broker.getRateLimit("mixed")).toBeNull();
      // Checked on claim times, which the limit counts (start times lag them by the machine's load).
      const claims = await claimTimes(backend!, "mixed", new Set(limitedMessages.map((message) => message.uuid)));
      expect(claims).toHaveLength(15);
      expect(busiestWindow(claims, 1_000)).toBeLessThanOrEqual(5);
      // The free task's messages did not wait behind the limited backlog.
      expect(Math.max(...freeDone)).toBeLessThan(Math.max(...limitedStarts));
    }, TEST_TIMEOUT_MS);
  });
}
