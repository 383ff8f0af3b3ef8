export { runTask, type RunTaskOptions } from "./run-task.js";
export type { RunContext } from "./run-context.js";
export { runInline } from "./run-inline.js";
export { MessageSettler } from "./message-settler.js";
export type { MessageSettlerOptions } from "./message-settler.js";
export { exceptionDetailsOf } from "./exception-details.js";
export type { TaskOutcome, SettleDisposition } from "./task-outcome.js";
