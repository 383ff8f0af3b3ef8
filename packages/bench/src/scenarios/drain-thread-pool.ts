import type { MetricSpec, Scenario } from "../scenario.js";
import { measureDrain } from "./drain.js";

function drainScenario(
  concurrency: number,
  rssMetrics: readonly MetricSpec[],
  targetRatio?: number,
  pool: "thread" | "in-loop" = "thread",
): Scenario {
  const inLoop = pool === "in-loop";
  return {
    name: `drain-c${concurrency}${inLoop ? "-inloop" : ""}`,
    description:
      `drain N pre-enqueued no-op jobs at concurrency ${concurrency}: Alsek ` +
      (inLoop ? `InLoopWorkerPool (concurrency ${concurrency}, tasks in the pool's event loop)` : `ThreadWorkerPool (nThreads ${concurrency}, nProcesses 1)`) +
      ` vs BullMQ Worker (concurrency ${concurrency}), each in its own child process, ` +
      "warmed up first; all N written in one bulk call while the worker idles",
    metrics: [
      {
        key: "rate",
        label: `drain, concurrency ${concurrency}${inLoop ? ", in-loop" : ""}`,
        unit: "msg/s",
        better: "higher",
        ...(targetRatio === undefined ? {} : { target: { on: "ratio", op: ">=", value: targetRatio } }),
      },
      ...rssMetrics,
    ],
    async run(side, context) {
      const result = await measureDrain(side, context, {
        pool,
        concurrency,
        count: context.sizes.drain,
        sampleRss: rssMetrics.length > 0,
      });
      return { rate: result.rate, rssMiB: result.peakRssBytes / 2 ** 20 };
    },
  };
}

/** Drain with one worker slot. */
export const drainC1 = drainScenario(1, [], 1.5);

/** Drain with ten slots. */
export const drainC10 = drainScenario(10, []);

/** Drain with fifty slots; also where worker memory is measured. */
export const drainC50 = drainScenario(
  50,
  [
    {
      key: "rssMiB",
      label: "worker RSS (peak, drain c=50)",
      unit: "MiB",
      better: "lower",
      target: { on: "ratio", op: "<=", value: 1 },
    },
  ],
  3,
);

/** Drain with one slot, the task in the pool's own event loop (InLoopWorkerPool). */
export const drainC1InLoop = drainScenario(1, [], undefined, "in-loop");

/** Drain with ten slots in the pool's own event loop. */
export const drainC10InLoop = drainScenario(10, [], undefined, "in-loop");

/** Drain with fifty slots in the pool's own event loop, with the worker's memory. */
export const drainC50InLoop = drainScenario(
  50,
  [{ key: "rssMiB", label: "worker RSS (peak, drain c=50, in-loop)", unit: "MiB", better: "lower" }],
  undefined,
  "in-loop",
);
