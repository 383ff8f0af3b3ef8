import { sleep, sharedClockMs } from "../clock.js";
import { WorkerChild } from "../children/worker-child.js";
import type { Scenario } from "../scenario.js";
import { openDriver } from "../sides/open-driver.js";
import { waitUntilDrained } from "./drain.js";
import { summarizeLatency } from "../stats.js";

const CONCURRENCY = 10;
/** Jobs run at once first, so every slot of the pool has started. */
const WARM_UP = 2 * CONCURRENCY;
/**
 * Then this long of the steady schedule is left out of the percentiles: fresh worker threads
 * (V8 isolates) stay cold for a while after their first job, with tails of 100+ ms in the first
 * ~500 ms here, and the issue asks for latency of an idle pool, not of one starting up.
 */
const SETTLE_MS = 1_000;

/**
 * Latency of an idle pool under a steady trickle: jobs are submitted on a fixed schedule (not as
 * fast as possible), and each job's function records when it started and the worker records when
 * the library reported it complete. Both are compared with the moment just before submit. Alsek
 * runs its thread pool (`latency`) or its in-loop pool (`latency-inloop`); BullMQ its Worker.
 */
function latencyScenario(pool: "thread" | "in-loop"): Scenario {
  const inLoop = pool === "in-loop";
  const suffix = inLoop ? ", in-loop" : "";
  return {
    name: inLoop ? "latency-inloop" : "latency",
    description:
      `submit jobs at a steady rate to an idle pool (concurrency ${CONCURRENCY}, in a child process${inLoop ? "; Alsek InLoopWorkerPool" : ""}) and ` +
      `measure submit→start and submit→completion, after a warm-up that started every slot and ${SETTLE_MS} ms of the schedule left out`,
    metrics: [
      {
        key: "startP50",
        label: `submit→start p50${suffix}`,
        unit: "ms",
        better: "lower",
        ...(inLoop ? {} : { target: { on: "alsek", op: "<=", value: 2 } }),
      },
      { key: "startP95", label: `submit→start p95${suffix}`, unit: "ms", better: "lower" },
      {
        key: "startP99",
        label: `submit→start p99${suffix}`,
        unit: "ms",
        better: "lower",
        ...(inLoop ? {} : { target: { on: "ratio", op: "<=", value: 1 } }),
      },
      {
        key: "doneP50",
        label: `submit→completion p50${suffix}`,
        unit: "ms",
        better: "lower",
        ...(inLoop ? {} : { target: { on: "alsek", op: "<=", value: 2 } }),
      },
      { key: "doneP95", label: `submit→completion p95${suffix}`, unit: "ms", better: "lower" },
      {
        key: "doneP99",
        label: `submit→completion p99${suffix}`,
        unit: "ms",
        better: "lower",
        ...(inLoop ? {} : { target: { on: "ratio", op: "<=", value: 1 } }),
      },
    ],
    async run(side, { redisUrl, sizes }) {
      const settling = Math.round((SETTLE_MS / 1000) * sizes.latencyRatePerSecond);
      const total = WARM_UP + settling + sizes.latencyMessages;
      const driver = await openDriver(side, redisUrl);
      const child = await WorkerChild.start({ side, redisUrl, pool, concurrency: CONCURRENCY, latencyExpected: total });
      try {
        const warmUpIds = new Set(await Promise.all(Array.from({ length: WARM_UP }, () => driver.enqueueOne())));
        await waitUntilDrained(driver, WARM_UP, `${side} latency warm-up`);
        const intervalMs = 1000 / sizes.latencyRatePerSecond;
        const submittedAt = new Map<string, number>();
        const writes: Promise<void>[] = [];
        const begin = performance.now();
        for (let i = 0; i < settling + sizes.latencyMessages; i += 1) {
          const wait = begin + i * intervalMs - performance.now();
          if (wait > 0) await sleep(wait);
          const at = sharedClockMs();
          const settlingJob = i < settling;
          writes.push(
            driver.enqueueOne().then((id) => {
              if (settlingJob) warmUpIds.add(id);
              else submittedAt.set(id, at);
            }),
          );
        }
        await Promise.all(writes);
        const samples = (await child.latencySamples()).filter((sample) => !warmUpIds.has(sample.id));
        const starts: number[] = [];
        const ends: number[] = [];
        for (const sample of samples) {
          const at = submittedAt.get(sample.id);
          if (at === undefined) throw new Error(`${side} reported job ${sample.id}, which the bench never submitted.`);
          starts.push(sample.start - at);
          ends.push(sample.end - at);
        }
        const start = summarizeLatency(starts);
        const done = summarizeLatency(ends);
        return {
          startP50: start.p50,
          startP95: start.p95,
          startP99: start.p99,
          doneP50: done.p50,
          doneP95: done.p95,
          doneP99: done.p99,
        };
      } finally {
        await child.stop();
        await driver.close();
      }
    },
  };
}

/** Latency through Alsek's thread pool. */
export const latency = latencyScenario("thread");

/** Latency through Alsek's in-loop pool (the task in the pool's own event loop). */
export const latencyInLoop = latencyScenario("in-loop");
