import { validateQueueName } from "@alsek/core";
import type { Broker } from "@alsek/core";
import {
  MultipleBrokersError,
  NoTasksFoundError,
  TaskNameCollisionError,
  ValidationError,
} from "@alsek/core";
import type { Mechanism } from "@alsek/core";
import type { Task } from "@alsek/core";

/** The tasks a pool runs, their broker and the queues it consumes. */
export interface PoolTasks {
  /** The tasks of the pool's mechanism, in the order given. */
  tasks: Task[];
  /** Task by name. */
  byName: Map<string, Task>;
  /** The one broker every task uses. */
  broker: Broker;
  /** Queues in consumption order. */
  queues: string[];
}

/**
 * Pick the tasks a pool of `mechanism` runs and the queues it consumes, as the original does
 * (`filter_tasks`, `extract_broker`, `derive_consumer_subset`) but with names matched exactly and
 * two different tasks under one name refused instead of silently overwritten.
 * @throws NoTasksFoundError, MultipleBrokersError, TaskNameCollisionError, ValidationError
 */
export function resolvePoolTasks(
  allTasks: readonly Task[],
  mechanism: Mechanism,
  queues?: readonly string[],
): PoolTasks {
  if (!Array.isArray(allTasks) || allTasks.length === 0) throw new NoTasksFoundError("No tasks found");
  const tasks = [...new Set(allTasks)].filter((task) => task.mechanism === mechanism);
  if (tasks.length === 0) throw new NoTasksFoundError(`No tasks found with mechanism '${mechanism}'.`);

  const broker = tasks[0]!.broker;
  if (tasks.some((task) => task.broker !== broker)) {
    throw new MultipleBrokersError(
      "Multiple brokers used: every task given to one pool must be defined with the same Broker instance.",
    );
  }

  const byName = new Map<string, Task>();
  for (const task of tasks) {
    if (task.moduleUrl === null) {
      throw new ValidationError(
        `Task '${task.name}' has no module URL, so workers cannot load it: define it with task() at the ` +
          "top level of a module file (or pass the `moduleUrl` option).",
      );
    }
    const other = byName.get(task.name);
    if (other && other !== task) {
      throw new TaskNameCollisionError(
        `Two different tasks are named '${task.name}' (queues '${other.queue}' and '${task.queue}'): ` +
          "give one of them another name with the `name` option.",
      );
    }
    byName.set(task.name, task);
  }

  let consumed: string[];
  if (queues !== undefined && queues.length > 0) {
    consumed = queues.map((queue) => validateQueueName(queue));
    const duplicate = consumed.find((queue, index) => consumed.indexOf(queue) !== index);
    if (duplicate !== undefined) {
      throw new ValidationError(`Queue '${duplicate}' is listed twice in \`queues\`: list each queue once.`);
    }
  } else {
    consumed = [...new Set(tasks.map((task) => task.queue))].sort();
  }
  return { tasks, byName, broker, queues: consumed };
}
