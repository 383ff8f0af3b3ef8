export { TaskStatus, TERMINAL_TASK_STATUSES } from "@alsek/core";
export * from "./errors/index.js";
export type { MessageLike } from "./messages/index.js";
export * from "./status/index.js";
export * from "./results/index.js";
export * from "./inspection/index.js";
export * from "./events/index.js";
