// How the pool behaviour suite of @alsek/test-support builds a ProcessWorkerPool. A pool process
// of that suite imports this module too, so it holds no test code.
import type { WorkerPoolSubject } from "@alsek/test-support/pool-behaviour";
import { ProcessWorkerPool, type ProcessWorkerPoolOptions } from "../index.js";

export const poolSubject: WorkerPoolSubject<ProcessWorkerPool, Partial<ProcessWorkerPoolOptions>> = {
  name: "ProcessWorkerPool",
  mechanism: "process",
  moduleUrl: import.meta.url,
  createPool: ({ capacity, ...request }, options) => new ProcessWorkerPool({ ...request, nProcesses: capacity, ...options }),
};
