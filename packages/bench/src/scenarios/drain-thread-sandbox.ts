import type { Scenario } from "../scenario.js";
import { measureDrain } from "./drain.js";

const THREADS = 4;

/**
 * Drain with jobs run off the worker's event loop, on worker threads, on both sides: Alsek's
 * ThreadWorkerPool against BullMQ's sandboxed processor with `useWorkerThreads: true`. The
 * `drain-c*` scenarios compare that pool with BullMQ's in-process Worker, which runs jobs in its
 * own event loop and so crosses no thread; this is the like-for-like comparison of the two ways of
 * keeping a job's code off the worker's thread.
 */
export const drainThreadSandbox: Scenario = {
  name: "drain-thread-sandbox",
  description:
    `drain N pre-enqueued no-op jobs on worker threads at concurrency ${THREADS}: Alsek ThreadWorkerPool ` +
    `(nThreads ${THREADS}, nProcesses 1) vs BullMQ sandboxed processor on worker threads ` +
    `(concurrency ${THREADS}, useWorkerThreads: true), each in its own child process, warmed up first`,
  metrics: [
    { key: "rate", label: `drain on worker threads ×${THREADS} (BullMQ sandboxed)`, unit: "msg/s", better: "higher" },
  ],
  async run(side, context) {
    const result = await measureDrain(side, context, {
      pool: "thread-sandbox",
      concurrency: THREADS,
      count: context.sizes.processDrain,
      sampleRss: false,
    });
    return { rate: result.rate };
  },
};
