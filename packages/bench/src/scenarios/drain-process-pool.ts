import type { Scenario } from "../scenario.js";
import { measureDrain } from "./drain.js";

const PROCESSES = 4;

/** Drain through per-task processes: Alsek ProcessWorkerPool vs BullMQ's sandboxed processor. */
export const drainProcessPool: Scenario = {
  name: "drain-process-pool",
  description:
    `drain N pre-enqueued no-op jobs with ${PROCESSES} worker processes: Alsek ProcessWorkerPool ` +
    `(nProcesses ${PROCESSES}) vs BullMQ sandboxed processor (concurrency ${PROCESSES}, child processes)`,
  metrics: [{ key: "rate", label: `drain, process pool ×${PROCESSES}`, unit: "msg/s", better: "higher" }],
  async run(side, context) {
    const result = await measureDrain(side, context, {
      pool: "process",
      concurrency: PROCESSES,
      count: context.sizes.processDrain,
      sampleRss: false,
    });
    return { rate: result.rate };
  },
};
