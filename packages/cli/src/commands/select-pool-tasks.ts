import { MultipleBrokersError, NoTasksFoundError, type Mechanism, type Task } from "@alsek/core";
import type { FoundTask } from "../loading/index.js";

function list(tasks: readonly FoundTask[]): string {
  return tasks.map((entry) => `'${entry.task.name}'`).join(", ");
}

/**
 * The tasks a pool of `mechanism` runs, checked the way the pool checks them but with messages
 * that name the tasks and modules involved, so the user knows what to change.
 * @throws NoTasksFoundError when no task has this mechanism, MultipleBrokersError when they are
 *   bound to different brokers.
 */
export function selectPoolTasks(found: readonly FoundTask[], mechanism: Mechanism): Task[] {
  const mine = found.filter((entry) => entry.task.mechanism === mechanism);
  if (mine.length === 0) {
    const otherCommand = mechanism === "thread" ? "process-pool" : "thread-pool";
    throw new NoTasksFoundError(
      `No tasks with mechanism '${mechanism}' found (found ${found.length} task(s) of another mechanism: ${list(found)}). ` +
        `Run them with \`alsek ${otherCommand}\`, or define tasks with \`mechanism: "${mechanism}"\`.`,
    );
  }
  const brokers = [...new Set(mine.map((entry) => entry.task.broker))];
  if (brokers.length > 1) {
    const groups = brokers.map(
      (broker, index) => `broker ${index + 1}: ${list(mine.filter((entry) => entry.task.broker === broker))}`,
    );
    throw new MultipleBrokersError(
      `Multiple brokers used: the tasks of one pool must share one Broker instance (${groups.join("; ")}). ` +
        "Define them with the same broker (export it from one module), or start one pool per broker.",
    );
  }
  return mine.map((entry) => entry.task);
}
