import {
  compiledEntryPath,
  requireDuration,
  requireInteger,
  resolveAbortGraceMs,
  WorkerPool,
  type WorkerPoolOptions,
} from "@alsek/worker";
import { defaultProcessPoolSize } from "./default-process-pool-size.js";
import { ProcessExecutor } from "./process-executor.js";

/** Options of {@link ProcessWorkerPool}. */
export interface ProcessWorkerPoolOptions extends WorkerPoolOptions {
  /**
   * Processes, hence tasks running at once. The default serves I/O-bound tasks on small machines
   * too (see {@link defaultProcessPoolSize}).
   * @defaultValue `max(4, CPU count)`
   */
  nProcesses?: number;
  /**
   * How often running tasks are checked against their timeout, in ms.
   * @defaultValue 100
   */
  pruneInterval?: number;
  /**
   * Longest wait for a free slot before looking again, in ms.
   * @defaultValue 100
   */
  slotWaitInterval?: number;
  /**
   * After SIGTERM, how long a stopped process (timeout, revocation, shutdown) gets before SIGKILL, in ms.
   * @defaultValue 1_000
   */
  killGraceMs?: number;
  /**
   * Replace a process after it ran this many tasks.
   * @defaultValue unlimited
   */
  maxTasksPerProcess?: number;
  /**
   * Replace a process whose resident memory exceeds this many MiB after a task.
   * @defaultValue unlimited
   */
  maxMemoryMb?: number;
}

/**
 * Runs process-mechanism tasks, each in a dedicated process: a crash, `process.exit` or a memory
 * blow-up takes down only that task. Processes stay warm and are reused; one that timed out,
 * crashed or was revoked is replaced.
 *
 * @example
 * ```ts
 * await new ProcessWorkerPool({ tasks: [taskA, taskB], nProcesses: 4 }).run();
 * ```
 */
export class ProcessWorkerPool extends WorkerPool {
  /** Processes, hence tasks running at once. */
  readonly nProcesses: number;

  /**
   * @throws NoTasksFoundError, MultipleBrokersError, TaskNameCollisionError, or ValidationError
   *   for an option out of range.
   */
  constructor(options: ProcessWorkerPoolOptions) {
    const nProcesses = requireInteger("nProcesses", options.nProcesses ?? defaultProcessPoolSize(), 1);
    const executor = new ProcessExecutor({
      nProcesses,
      pruneInterval: requireDuration("pruneInterval", options.pruneInterval ?? 100, 1),
      killGraceMs: requireDuration("killGraceMs", options.killGraceMs ?? 1_000, 0),
      abortGraceMs: resolveAbortGraceMs(options),
      maxTasksPerProcess:
        options.maxTasksPerProcess === undefined ? null : requireInteger("maxTasksPerProcess", options.maxTasksPerProcess, 1),
      maxMemoryMb: options.maxMemoryMb === undefined ? null : requireInteger("maxMemoryMb", options.maxMemoryMb, 1),
      entry: compiledEntryPath(import.meta.url, "child/child-entry.js"),
    });
    super("process", options, executor, 100);
    this.nProcesses = nProcesses;
  }
}
