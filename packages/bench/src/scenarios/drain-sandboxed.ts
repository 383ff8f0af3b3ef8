import type { Scenario } from "../scenario.js";
import { measureDrain } from "./drain.js";

/** Workers (threads or processes) each side drains with in the sandboxed scenarios. */
const WORKERS = 4;

/**
 * A drain with jobs run off the worker's own thread on both sides, at concurrency {@link WORKERS},
 * over the smaller `processDrain` count: `pool` names what each side runs (see `PoolKind`).
 */
function sandboxedDrain(
  name: string,
  pool: "thread-sandbox" | "process",
  description: string,
  label: string,
): Scenario {
  return {
    name,
    description,
    metrics: [{ key: "rate", label, unit: "msg/s", better: "higher" }],
    async run(side, context) {
      const result = await measureDrain(side, context, {
        pool,
        concurrency: WORKERS,
        count: context.sizes.processDrain,
        sampleRss: false,
      });
      return { rate: result.rate };
    },
  };
}

/**
 * Alsek's ThreadWorkerPool against BullMQ's sandboxed processor with `useWorkerThreads: true`. The
 * `drain-c*` scenarios compare that pool with BullMQ's in-process Worker, which runs jobs in its
 * own event loop and so crosses no thread; this is the like-for-like comparison of the two ways of
 * keeping a job's code off the worker's thread.
 */
export const drainThreadSandbox = sandboxedDrain(
  "drain-thread-sandbox",
  "thread-sandbox",
  `drain N pre-enqueued no-op jobs on worker threads at concurrency ${WORKERS}: Alsek ThreadWorkerPool ` +
    `(nThreads ${WORKERS}, nProcesses 1) vs BullMQ sandboxed processor on worker threads ` +
    `(concurrency ${WORKERS}, useWorkerThreads: true), each in its own child process, warmed up first`,
  `drain on worker threads ×${WORKERS} (BullMQ sandboxed)`,
);

/** Drain through per-task processes: Alsek ProcessWorkerPool vs BullMQ's sandboxed processor. */
export const drainProcessPool = sandboxedDrain(
  "drain-process-pool",
  "process",
  `drain N pre-enqueued no-op jobs with ${WORKERS} worker processes: Alsek ProcessWorkerPool ` +
    `(nProcesses ${WORKERS}) vs BullMQ sandboxed processor (concurrency ${WORKERS}, child processes)`,
  `drain, process pool ×${WORKERS}`,
);
