// How the pool behaviour suite of @alsek/test-support builds a ThreadWorkerPool. A pool process
// of that suite imports this module too, so it holds no test code.
import type { WorkerPoolSubject } from "@alsek/test-support/pool-behaviour";
import { ThreadWorkerPool, type ThreadWorkerPoolOptions } from "../index.js";

export const poolSubject: WorkerPoolSubject<ThreadWorkerPool, Partial<ThreadWorkerPoolOptions>> = {
  name: "ThreadWorkerPool",
  mechanism: "thread",
  moduleUrl: import.meta.url,
  // An even capacity spans two process groups (child processes); an odd one is a single group,
  // which runs in the pool's own process by default. The suite thus covers both kinds of group.
  createPool: ({ capacity, ...request }, options) =>
    new ThreadWorkerPool({
      ...request,
      ...(capacity % 2 === 0 ? { nThreads: capacity / 2, nProcesses: 2 } : { nThreads: capacity, nProcesses: 1 }),
      ...options,
    }),
};
