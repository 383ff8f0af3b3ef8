import type { Task } from "./task.js";

// A global symbol, so that two copies of core in one process (source and built) share it.
const REGISTRY_KEY = Symbol.for("alsek.tasks");

type RegistryHolder = { [REGISTRY_KEY]?: Map<string, Task> };

function registry(): Map<string, Task> {
  const holder = globalThis as RegistryHolder;
  holder[REGISTRY_KEY] ??= new Map();
  return holder[REGISTRY_KEY];
}

/** Record a task under its name; a later task with the same name replaces it. */
export function registerTask(task: Task): void {
  registry().set(task.name, task);
}

/** The task registered under `name` in this process, or `undefined`. */
export function getRegisteredTask(name: string): Task | undefined {
  return registry().get(name);
}

/** Every task registered in this process. */
export function registeredTasks(): Task[] {
  return [...registry().values()];
}
