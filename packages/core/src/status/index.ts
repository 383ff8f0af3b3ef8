export { TaskStatus, TERMINAL_TASK_STATUSES } from "./task-status.js";
export type { StatusSink, ResultSink } from "./sinks.js";
