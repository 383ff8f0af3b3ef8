import type { MetricSpec, Scenario } from "../scenario.js";
import { measureDrain } from "./drain.js";

function drainScenario(concurrency: number, rssMetrics: readonly MetricSpec[], targetRatio?: number): Scenario {
  return {
    name: `drain-c${concurrency}`,
    description:
      `drain N pre-enqueued no-op jobs at concurrency ${concurrency}: Alsek ThreadWorkerPool ` +
      `(nThreads ${concurrency}, nProcesses 1) vs BullMQ Worker (concurrency ${concurrency}), each in its own child process, ` +
      "warmed up first; all N written in one bulk call while the worker idles",
    metrics: [
      {
        key: "rate",
        label: `drain, concurrency ${concurrency}`,
        unit: "msg/s",
        better: "higher",
        ...(targetRatio === undefined ? {} : { target: { on: "ratio", op: ">=", value: targetRatio } }),
      },
      ...rssMetrics,
    ],
    async run(side, context) {
      const result = await measureDrain(side, context, {
        pool: "thread",
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
