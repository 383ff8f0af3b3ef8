import { sleep, sharedClockMs } from "../clock.js";
import { WorkerChild } from "../children/worker-child.js";
import type { MetricSpec, Scenario, Target } from "../scenario.js";
import { openDriver } from "../sides/open-driver.js";
import { waitUntilDrained } from "./drain.js";
import { summarizeLatency } from "../stats.js";

const CONCURRENCY = 10;
/** Jobs run at once first, so every slot of the pool has started. */
const WARM_UP = 2 * CONCURRENCY;
/**
 * Then this long of the schedule is left out of every percentile: fresh worker threads (V8
 * isolates) stay cold for a while after their first job, with tails of 100+ ms in the first
 * ~500 ms here.
 */
const SETTLE_MS = 1_000;

/**
 * Which stretch of the schedule a sample belongs to. After the settle, `sizes.latencyMessages`
 * jobs are timed while the pool's JIT still compiles (`first`: the pool's first seconds, the
 * window this scenario reported until 2026-12-08), then as many again once it has settled
 * (`steady`: the main rows, since the issue asks for the latency of an idle pool, not of one
 * starting up). A scheduler trace showed each side's V8 helper threads compiling for ~3–5 s after
 * the child starts (see the bench README, *Tail latency: the pool's first seconds*).
 */
type Window = "first" | "steady";

/** What each row times from the submit: its key stem (`start` or `done`) and its label. */
const MEASURES = [
  ["start", "Start", "submit→start"],
  ["done", "Done", "submit→completion"],
] as const;

/** The targets, on the thread pool's main rows (the in-loop rows are there to compare). */
const TARGETS: { readonly [percentile: string]: Target } = {
  P50: { on: "alsek", op: "<=", value: 2 },
  P99: { on: "ratio", op: "<=", value: 1 },
};

/**
 * The main rows (`startP50` … `doneP99`, the pool at steady state) and the pool's first seconds
 * (`firstStartP95` … `firstDoneP99`), in that order.
 */
function latencyMetrics(inLoop: boolean): MetricSpec[] {
  const suffix = inLoop ? ", in-loop" : "";
  const metrics: MetricSpec[] = [];
  for (const [stem, , label] of MEASURES) {
    for (const percentile of ["P50", "P95", "P99"]) {
      const target = inLoop ? undefined : TARGETS[percentile];
      metrics.push({
        key: `${stem}${percentile}`,
        label: `${label} ${percentile.toLowerCase()}${suffix}`,
        unit: "ms",
        better: "lower",
        ...(target ? { target } : {}),
      });
    }
  }
  for (const [, stem, label] of MEASURES) {
    for (const percentile of ["P95", "P99"]) {
      metrics.push({
        key: `first${stem}${percentile}`,
        label: `${label} ${percentile.toLowerCase()}${suffix}, pool's first seconds`,
        unit: "ms",
        better: "lower",
      });
    }
  }
  return metrics;
}

function latencyScenario(pool: "thread" | "in-loop"): Scenario {
  const inLoop = pool === "in-loop";
  return {
    name: inLoop ? "latency-inloop" : "latency",
    description:
      `submit jobs at a steady rate to an idle pool (concurrency ${CONCURRENCY}, in a child process${inLoop ? "; Alsek InLoopWorkerPool" : ""}) and ` +
      `measure submit→start and submit→completion, after a warm-up that started every slot and ${SETTLE_MS} ms of the schedule left out: ` +
      "the main rows time the pool once its JIT has settled, the `pool's first seconds` rows the same number of jobs just before",
    metrics: latencyMetrics(inLoop),
    async run(side, { redisUrl, sizes }) {
      const settling = Math.round((SETTLE_MS / 1000) * sizes.latencyRatePerSecond);
      const timed = 2 * sizes.latencyMessages;
      const total = WARM_UP + settling + timed;
      const driver = await openDriver(side, redisUrl);
      const child = await WorkerChild.start({ side, redisUrl, pool, concurrency: CONCURRENCY, latencyExpected: total });
      try {
        const untimedIds = new Set(await Promise.all(Array.from({ length: WARM_UP }, () => driver.enqueueOne())));
        await waitUntilDrained(driver, WARM_UP, `${side} latency warm-up`);
        const intervalMs = 1000 / sizes.latencyRatePerSecond;
        const submitted = new Map<string, { at: number; window: Window }>();
        const writes: Promise<void>[] = [];
        const begin = performance.now();
        for (let i = 0; i < settling + timed; i += 1) {
          const wait = begin + i * intervalMs - performance.now();
          if (wait > 0) await sleep(wait);
          const at = sharedClockMs();
          const window: Window | null = i < settling ? null : i < settling + sizes.latencyMessages ? "first" : "steady";
          writes.push(
            driver.enqueueOne().then((id) => {
              if (window === null) untimedIds.add(id);
              else submitted.set(id, { at, window });
            }),
          );
        }
        await Promise.all(writes);
        const samples = (await child.latencySamples()).filter((sample) => !untimedIds.has(sample.id));
        const starts: Record<Window, number[]> = { first: [], steady: [] };
        const ends: Record<Window, number[]> = { first: [], steady: [] };
        for (const sample of samples) {
          const submit = submitted.get(sample.id);
          if (submit === undefined)
            throw new Error(`${side} reported job ${sample.id}, which the bench never submitted.`);
          starts[submit.window].push(sample.start - submit.at);
          ends[submit.window].push(sample.end - submit.at);
        }
        const start = summarizeLatency(starts.steady);
        const done = summarizeLatency(ends.steady);
        const firstStart = summarizeLatency(starts.first);
        const firstDone = summarizeLatency(ends.first);
        return {
          startP50: start.p50,
          startP95: start.p95,
          startP99: start.p99,
          doneP50: done.p50,
          doneP95: done.p95,
          doneP99: done.p99,
          firstStartP95: firstStart.p95,
          firstStartP99: firstStart.p99,
          firstDoneP95: firstDone.p95,
          firstDoneP99: firstDone.p99,
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
