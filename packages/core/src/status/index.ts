export { TaskStatus, TERMINAL_TASK_STATUSES } from "./task-status.js";
export { statusRank, TERMINAL_STATUS_RANK, UNKNOWN_STATUS_RANK } from "./status-order.js";
export type { StatusSink, ResultSink } from "./result-and-status-sinks.js";
