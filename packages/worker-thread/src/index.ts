export { ThreadWorkerPool, type ThreadWorkerPoolOptions } from "./thread-worker-pool.js";
export { DEFAULT_IN_LOOP_CONCURRENCY, InLoopWorkerPool, type InLoopWorkerPoolOptions } from "./in-loop-worker-pool.js";
