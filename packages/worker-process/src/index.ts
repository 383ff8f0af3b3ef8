export { ProcessWorkerPool, type ProcessWorkerPoolOptions } from "./process-worker-pool.js";
export { defaultProcessPoolSize, MIN_DEFAULT_PROCESSES } from "./default-process-pool-size.js";
