// How the pool behaviour suite of @alsek/test-support builds a ThreadWorkerPool. A pool process
// of that suite imports this module too, so it holds no test code.
import type { WorkerPoolSubject } from "@alsek/test-support/pool-behaviour";
import { ThreadWorkerPool, type ThreadWorkerPoolOptions } from "../index.js";

export const poolSubject: WorkerPoolSubject<ThreadWorkerPool, Partial<ThreadWorkerPoolOptions>> = {
  name: "ThreadWorkerPool",
  mechanism: "thread",
  moduleUrl: import.meta.url,
  // Two threads per process group wherever the capacity allows, so that capacity spans groups.
  createPool: ({ capacity, ...request }, options) =>
    new ThreadWorkerPool({
      ...request,
      ...(capacity % 2 === 0 ? { nThreads: 2, nProcesses: capacity / 2 } : { nThreads: capacity, nProcesses: 1 }),
      ...options,
    }),
};
