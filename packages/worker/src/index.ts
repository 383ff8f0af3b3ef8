export { ActivitySummary, DEFAULT_SUMMARY_INTERVAL_MS, type ActivitySource } from "./activity-summary.js";
export type { Assignment, OutcomeReport, ProgressReport } from "./assignment.js";
export { childExecArgv, compiledEntryPath, WORKER_POOL_ENV } from "./compiled-entry.js";
export { importTaskModule } from "./import-task-module.js";
export { DETACHED_EXECUTOR_CONTEXT, type PoolExecutor, type PoolExecutorContext } from "./pool-executor.js";
export { defaultProcessCount, requireDuration, requireInteger } from "./pool-options.js";
export { PREFETCH_HORIZON_MS } from "./prefetch-depth.js";
export { PROGRESS_INTERVAL_MS, ProgressThrottle } from "./progress-throttle.js";
export { resolvePoolTasks, type PoolTasks } from "./pool-tasks.js";
export { isTypeScriptModule, runAssignment, unsendableOutcome, type RunAssignmentOptions } from "./run-assignment.js";
export { listenForStopSignals, STOP_SIGNALS, type StopSignalHandlers } from "./stop-signals.js";
export { WorkerPool, type WorkerPoolEvents } from "./worker-pool.js";
export { resolveAbortGraceMs, type WorkerPoolOptions } from "./worker-pool-options.js";
export {
  decodeWireError,
  encodeWireError,
  NOT_STARTED_ERROR,
  poolWireError,
  type WireError,
  type WireOutcome,
} from "./wire-outcome.js";
