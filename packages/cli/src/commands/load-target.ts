import { createLogger } from "@alsek/core";
import { loadTasks, type FoundTask } from "../loading/index.js";
import { resolveTarget } from "../target/index.js";

const log = createLogger("alsek.cli");

/** Resolve a TARGET and import its modules; returns the tasks they export. */
export async function loadTarget(target: string, cwd: string): Promise<FoundTask[]> {
  const resolved = await resolveTarget(target, cwd);
  log.debug("Importing task modules.", { target: resolved.path, modules: resolved.modules.length });
  const found = await loadTasks(resolved);
  log.debug("Found tasks.", { tasks: found.map((entry) => entry.task.name) });
  return found;
}
