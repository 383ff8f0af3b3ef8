export { Task, REVOCATION_TTL, revocationKey } from "./task.js";
export { TriggerTask } from "./trigger-task.js";
export type { TriggerTaskOptions } from "./trigger-task.js";
export { task } from "./task-factory.js";
export type { TaskClass, TaskFactoryOptions } from "./task-factory.js";
export { getRegisteredTask, registeredTasks } from "./registry.js";
export type * from "./task-types.js";
