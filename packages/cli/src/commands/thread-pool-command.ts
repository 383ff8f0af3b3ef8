import { ThreadWorkerPool } from "@alsek/worker-thread";
import { readFlag, readInteger, type ParsedArgs } from "../options/read-option.js";
import { loadTarget } from "./load-target.js";
import { readCommonPoolOptions } from "./read-pool-options.js";
import { runPool } from "./run-pool.js";
import { selectPoolTasks } from "./select-pool-tasks.js";

/** `alsek thread-pool TARGET`: run the target's thread tasks until stopped. */
export async function threadPoolCommand(target: string, args: ParsedArgs, cwd: string): Promise<void> {
  // Options are checked before the target is imported, so a typo fails fast.
  const common = readCommonPoolOptions(args);
  const nThreads = readInteger(args, "n_threads", 1);
  const nProcesses = readInteger(args, "n_processes", 1);
  const nProcessFloor = readInteger(args, "n_process_floor", 0);
  const tasks = selectPoolTasks(await loadTarget(target, cwd), "thread");
  const pool = new ThreadWorkerPool({
    ...common,
    tasks,
    ...(nThreads === undefined ? {} : { nThreads }),
    ...(nProcesses === undefined ? {} : { nProcesses }),
    ...(nProcessFloor === undefined ? {} : { nProcessFloor }),
    completeOnlyOnThreadExit: readFlag(args, "complete_only_on_thread_exit"),
    ...(args.in_process === undefined ? {} : { inProcess: readFlag(args, "in_process") }),
  });
  await runPool(pool);
}
