import { Task, TaskNameCollisionError, registeredTasks } from "@alsek/core";

/** A task found among a module's exports. */
export interface FoundTask {
  task: Task;
  /** Absolute path of the module that exported it. */
  modulePath: string;
  /** The export's name (`"default"` for a default export). */
  exportName: string;
}

/**
 * Whether `value` is a task. `instanceof` covers the usual case; the process-wide registry covers
 * a task module that resolved another copy of `@alsek/core` than the CLI's.
 */
export function isTask(value: unknown): value is Task {
  if (value instanceof Task) return true;
  return typeof value === "function" && registeredTasks().includes(value as Task);
}

/**
 * A module's exports by name. A CommonJS module (a `.cjs`, or a `.js`/`.ts` in a package without
 * `"type": "module"`) arrives as a namespace whose `default` is its `module.exports`; Node lifts
 * only the names its lexer can see (none, for a TypeScript module compiled on the fly), so the
 * properties of `module.exports` count as exports too.
 */
function exportsOf(namespace: Record<string, unknown>): [string, unknown][] {
  const entries = Object.entries(namespace);
  const moduleExports = namespace.default;
  if (typeof moduleExports === "object" && moduleExports !== null && !isTask(moduleExports)) {
    for (const [name, value] of Object.entries(moduleExports)) {
      if (!(name in namespace)) entries.push([name, value]);
    }
  }
  return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Add the tasks exported by one module to `found`, in export-name order. A task exported twice
 * (re-exported by another module) is kept once.
 * @throws TaskNameCollisionError when a different task with the same name was found before.
 */
export function collectTasks(found: FoundTask[], modulePath: string, namespace: Record<string, unknown>): void {
  for (const [exportName, value] of exportsOf(namespace)) {
    if (!isTask(value)) continue;
    if (found.some((entry) => entry.task === value)) continue;
    const other = found.find((entry) => entry.task.name === value.name);
    if (other) {
      throw new TaskNameCollisionError(
        `Two different tasks are named '${value.name}': export '${other.exportName}' of ${other.modulePath} ` +
          `and export '${exportName}' of ${modulePath}. Give one of them another name with the \`name\` option.`,
      );
    }
    found.push({ task: value, modulePath, exportName });
  }
}
