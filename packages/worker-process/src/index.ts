export { ProcessWorkerPool, type ProcessWorkerPoolOptions } from "./process-worker-pool.js";
