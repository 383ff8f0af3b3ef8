import { ProcessWorkerPool } from "@alsek/worker-process";
import { readInteger, type ParsedArgs } from "../options/read-option.js";
import { loadTarget } from "./load-target.js";
import { readCommonPoolOptions } from "./read-pool-options.js";
import { runPool } from "./run-pool.js";
import { selectPoolTasks } from "./select-pool-tasks.js";

/** `alsek process-pool TARGET`: run the target's process tasks until stopped. */
export async function processPoolCommand(target: string, args: ParsedArgs, cwd: string): Promise<void> {
  const common = readCommonPoolOptions(args);
  const nProcesses = readInteger(args, "n_processes", 1);
  const pruneInterval = readInteger(args, "prune_interval", 1);
  const tasks = selectPoolTasks(await loadTarget(target, cwd), "process");
  const pool = new ProcessWorkerPool({
    ...common,
    tasks,
    ...(nProcesses === undefined ? {} : { nProcesses }),
    ...(pruneInterval === undefined ? {} : { pruneInterval }),
  });
  await runPool(pool);
}
