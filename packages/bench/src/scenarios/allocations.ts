import type { Scenario } from "../scenario.js";
import { measureDrain } from "./drain.js";

const CONCURRENCY = 50;

/**
 * What each library allocates per job while it drains: the in-loop drain at concurrency 50 again,
 * with V8's sampling heap profiler on in the worker child (objects already freed count too). Both
 * sides run jobs in one isolate here (Alsek's InLoopWorkerPool, BullMQ's Worker), so the figure
 * is like for like. Unlike a rate, it barely moves with the host's load: the metric to A/B a
 * hot-path change by. The drain's rate is not reported (the profiler slows it).
 */
export const allocationsC50InLoop: Scenario = {
  name: "alloc-c50-inloop",
  description:
    `bytes allocated per job by the worker child's main thread while it drains N no-op jobs at concurrency ${CONCURRENCY} ` +
    "(Alsek InLoopWorkerPool vs BullMQ Worker), counted with V8's sampling heap profiler, freed objects included",
  metrics: [{ key: "bytesPerJob", label: "allocated per job (drain c=50, in-loop)", unit: "B", better: "lower" }],
  async run(side, context) {
    const result = await measureDrain(side, context, {
      pool: "in-loop",
      concurrency: CONCURRENCY,
      count: context.sizes.drain,
      sampleRss: false,
      countAllocations: true,
    });
    return { bytesPerJob: result.allocatedBytesPerJob };
  },
};
