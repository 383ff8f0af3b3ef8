import { ValidationError } from "@alsek/core";
import { InLoopWorkerPool, ThreadWorkerPool } from "@alsek/worker-thread";
import { readFlag, readInteger, type ParsedArgs } from "../options/read-option.js";
import { loadTarget } from "./load-target.js";
import { readCommonPoolOptions } from "./read-pool-options.js";
import { runPool } from "./run-pool.js";
import { selectPoolTasks } from "./select-pool-tasks.js";

/** Options of `alsek thread-pool` that size threads, which `--in_loop` has none of. */
const THREAD_ONLY = ["n_threads", "n_processes", "n_process_floor", "in_process", "complete_only_on_thread_exit"];

/** `alsek thread-pool TARGET`: run the target's thread tasks until stopped (on threads, or `--in_loop`). */
export async function threadPoolCommand(target: string, args: ParsedArgs, cwd: string): Promise<void> {
  // Options are checked before the target is imported, so a typo fails fast.
  const common = readCommonPoolOptions(args);
  const inLoop = readFlag(args, "in_loop");
  const concurrency = readInteger(args, "concurrency", 1);
  if (inLoop) {
    const given = THREAD_ONLY.filter((name) => args[name] !== undefined && args[name] !== false);
    if (given.length > 0) {
      throw new ValidationError(
        `--in_loop runs tasks in the pool's own event loop, without threads: ${given.map((name) => `--${name}`).join(", ")} ` +
          "do not apply (use --concurrency).",
      );
    }
    const tasks = selectPoolTasks(await loadTarget(target, cwd), "thread");
    await runPool(new InLoopWorkerPool({ ...common, tasks, ...(concurrency === undefined ? {} : { concurrency }) }));
    return;
  }
  if (concurrency !== undefined) {
    throw new ValidationError("--concurrency applies only with --in_loop (threads: capacity is --n_threads x --n_processes).");
  }
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
