import type { Broker } from "../broker/broker.js";
import { ValidationError } from "../errors/index.js";
import type { Trigger } from "../triggers/trigger.js";
import { callerModuleUrl } from "./caller-module-url.js";
import { Task } from "./task.js";
import type { TaskConstructorOptions, TaskFunction, TaskOptions } from "./task-types.js";
import { TriggerTask } from "./trigger-task.js";

/** A `Task` subclass usable as `baseTask`. */
export type TaskClass = new (broker: Broker, fn: TaskFunction, options: TaskConstructorOptions) => Task;

/** Options of {@link task}. */
export interface TaskFactoryOptions extends TaskOptions {
  /** A subclass of `Task` (of `TriggerTask` with a `trigger`) overriding hooks. @defaultValue Task */
  baseTask?: TaskClass;
}

/**
 * Turn a function into a task. The result is callable as the function itself and has
 * `generate()`, `defer()`, `revoke()` and the hooks. The task is registered process-wide under
 * its name and remembers its module URL, so worker pools can find it.
 */
export function task<F extends TaskFunction>(broker: Broker, fn: F): Task<F, false>;
export function task<F extends TaskFunction, P extends boolean = false>(
  broker: Broker,
  options: TaskFactoryOptions & { trigger: Trigger; passMessage?: P },
  fn: F,
): TriggerTask<F, P>;
export function task<F extends TaskFunction, P extends boolean = false>(
  broker: Broker,
  options: TaskFactoryOptions & { passMessage?: P },
  fn: F,
): Task<F, P>;
export function task(
  broker: Broker,
  optionsOrFn: TaskFactoryOptions | TaskFunction,
  maybeFn?: TaskFunction,
): Task {
  const moduleUrl = callerModuleUrl(task);
  const [options, fn] =
    typeof optionsOrFn === "function" ? [{}, optionsOrFn] : [optionsOrFn ?? {}, maybeFn];
  if (typeof fn !== "function") {
    throw new ValidationError("task(broker, options, fn): the last argument must be the task function.");
  }
  const { baseTask, ...rest } = options as TaskFactoryOptions;
  const init: TaskConstructorOptions = { ...rest, moduleUrl };
  if (rest.trigger) {
    const Base = baseTask ?? TriggerTask;
    if (Base !== TriggerTask && !(Base.prototype instanceof TriggerTask)) {
      throw new ValidationError("task(): with a `trigger`, `baseTask` must extend TriggerTask.");
    }
    return new (Base as unknown as typeof TriggerTask)(broker, fn, { ...init, trigger: rest.trigger }) as unknown as Task;
  }
  const Base = baseTask ?? Task;
  if (Base !== Task && !(Base.prototype instanceof Task)) {
    throw new ValidationError("task(): `baseTask` must be a subclass of Task.");
  }
  return new Base(broker, fn, init);
}
