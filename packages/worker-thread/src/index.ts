export { ThreadWorkerPool, type ThreadWorkerPoolOptions } from "./thread-worker-pool.js";
