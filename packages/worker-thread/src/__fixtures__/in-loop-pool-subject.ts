// How the pool behaviour suite of @alsek/test-support builds an InLoopWorkerPool. A pool process
// of that suite imports this module too, so it holds no test code.
import type { WorkerPoolSubject } from "@alsek/test-support/pool-behaviour";
import { InLoopWorkerPool, type InLoopWorkerPoolOptions } from "../index.js";

export const poolSubject: WorkerPoolSubject<InLoopWorkerPool, Partial<InLoopWorkerPoolOptions>> = {
  name: "InLoopWorkerPool",
  mechanism: "thread",
  stops: "soft",
  moduleUrl: import.meta.url,
  createPool: ({ capacity, ...request }, options) =>
    new InLoopWorkerPool({ ...request, concurrency: capacity, ...options }),
};
