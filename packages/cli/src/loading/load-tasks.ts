import { fileURLToPath, pathToFileURL } from "node:url";
import { NoTasksFoundError } from "@alsek/core";
import { importTaskModule } from "@alsek/worker";
import { TaskModuleImportError } from "../errors/index.js";
import type { ResolvedTarget } from "../target/index.js";
import { collectTasks, type FoundTask } from "./collect-tasks.js";
import { registerTypeScript } from "./register-typescript.js";

// Frames of Node's loader and of the CLI itself say nothing about what is wrong in the module.
const CLI_ROOT = fileURLToPath(new URL("..", import.meta.url));

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const stack = error.stack ?? `${error.name}: ${error.message}`;
  return stack
    .split("\n")
    .filter((line) => !/^\s+at /.test(line) || !(line.includes("node:internal") || line.includes(CLI_ROOT)))
    .join("\n");
}

/**
 * Import every module of `target` and return the tasks they export.
 * @throws TaskModuleImportError when a module throws on import (its error is the `cause` and is
 *   quoted in the message), TaskNameCollisionError for two tasks with one name, NoTasksFoundError
 *   when no module exports a task.
 */
export async function loadTasks(target: ResolvedTarget): Promise<FoundTask[]> {
  // Always, not only for a `.ts` target: a JavaScript module may import TypeScript ones.
  await registerTypeScript();
  const found: FoundTask[] = [];
  for (const modulePath of target.modules) {
    let namespace: Record<string, unknown>;
    try {
      namespace = await importTaskModule(pathToFileURL(modulePath).href);
    } catch (error) {
      throw new TaskModuleImportError(
        `Importing task module ${modulePath} failed; fix the module (or move it out of the target). Its error:\n${describe(error)}`,
        { cause: error },
      );
    }
    collectTasks(found, modulePath, namespace);
  }
  if (found.length === 0) {
    const where =
      target.kind === "folder"
        ? `any of the ${target.modules.length} module(s) under ${target.path}`
        : target.path;
    throw new NoTasksFoundError(
      `No tasks found: ${where} exports no task. Export each task (\`export const myTask = task(broker, ...)\`) ` +
        "from the module the CLI is pointed at.",
    );
  }
  return found;
}
