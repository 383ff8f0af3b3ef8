export type { Backend } from "./backend.js";
export type * from "./types.js";
export { validateQueueName, validateTaskName, resultChannel } from "./names.js";
