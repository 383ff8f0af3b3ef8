import { ValidationError } from "@alsek/core";
import {
  compiledEntryPath,
  defaultProcessCount,
  requireDuration,
  requireInteger,
  resolveAbortGraceMs,
  WorkerPool,
  type WorkerPoolOptions,
} from "@alsek/worker";
import { GroupExecutor } from "./thread-group-executor.js";

/** Options of {@link ThreadWorkerPool}. */
export interface ThreadWorkerPoolOptions extends WorkerPoolOptions {
  /**
   * Worker threads per process group.
   * @defaultValue 8
   */
  nThreads?: number;
  /**
   * Process groups at most; capacity is `nThreads × nProcesses`.
   * @defaultValue `max(1, CPU count − 1)`
   */
  nProcesses?: number;
  /**
   * Process groups kept running even when idle.
   * @defaultValue 0
   */
  nProcessFloor?: number;
  /**
   * Longest wait for a free slot before looking again, in ms.
   * @defaultValue 50
   */
  slotWaitInterval?: number;
  /**
   * Count a task complete only once its thread has exited on its own, so work it left running
   * (timers, unawaited promises) finishes, within the timeout, before its outcome is settled
   * and its slot reused. Each task then gets a fresh thread.
   * @defaultValue false
   */
  completeOnlyOnThreadExit?: boolean;
  /**
   * Run each task on a thread of its own (up to `nThreads` threads per group) instead of packing
   * several tasks into a thread. Packing is lighter (one isolate can run many async tasks) but a
   * task that times out, is revoked or crashes its thread interrupts the others on that thread,
   * which then run again elsewhere; isolate tasks that do that often, or that need their own
   * thread-global state.
   * @defaultValue false
   */
  isolateTasks?: boolean;
  /**
   * Run the group's worker threads in the pool's own process instead of a child process: no IPC
   * hop between the pool and its threads, and one process less. Only with `nProcesses: 1`. A
   * native crash (a segfault in an addon) then takes the pool down with the thread; its messages
   * run again once their leases expire, as after any crash.
   * @defaultValue `nProcesses === 1`
   */
  inProcess?: boolean;
  /**
   * A process group with nothing to run for this long (ms) retires, down to `nProcessFloor`.
   * @defaultValue 30_000
   */
  groupIdleTimeout?: number;
}

/**
 * Runs thread-mechanism tasks on elastic process groups, each a child process with up to
 * `nThreads` worker threads. Timeouts are hard: the thread is terminated (even in a busy loop).
 *
 * @example
 * ```ts
 * await new ThreadWorkerPool({ tasks: [taskA, taskB], nThreads: 8, nProcesses: 4 }).run();
 * ```
 */
export class ThreadWorkerPool extends WorkerPool {
  /** Worker threads per process group. */
  readonly nThreads: number;
  /** Process groups at most. */
  readonly nProcesses: number;
  /** Process groups kept even when idle. */
  readonly nProcessFloor: number;
  /** Whether the group's threads run in this process. */
  readonly inProcess: boolean;
  readonly #executor: GroupExecutor;

  /**
   * @throws NoTasksFoundError, MultipleBrokersError, TaskNameCollisionError, or ValidationError
   *   for an option out of range.
   */
  constructor(options: ThreadWorkerPoolOptions) {
    const nThreads = requireInteger("nThreads", options.nThreads ?? 8, 1);
    const nProcesses = requireInteger("nProcesses", options.nProcesses ?? defaultProcessCount(), 1);
    const nProcessFloor = requireInteger("nProcessFloor", options.nProcessFloor ?? 0, 0);
    if (nProcessFloor > nProcesses) {
      throw new ValidationError(`nProcessFloor (${nProcessFloor}) must be <= nProcesses (${nProcesses}).`);
    }
    const groupIdleTimeout = requireDuration("groupIdleTimeout", options.groupIdleTimeout ?? 30_000, 0);
    const inProcess = options.inProcess ?? nProcesses === 1;
    if (typeof inProcess !== "boolean") throw new ValidationError(`inProcess must be a boolean, got ${JSON.stringify(inProcess)}.`);
    if (inProcess && nProcesses !== 1) {
      throw new ValidationError(`inProcess runs one group in the pool's own process: it needs nProcesses: 1, got ${nProcesses}.`);
    }
    let emitScale: (groups: number) => void = () => {};
    const executor = new GroupExecutor({
      nThreads,
      nProcesses,
      nProcessFloor,
      groupIdleTimeout,
      completeOnlyOnThreadExit: options.completeOnlyOnThreadExit ?? false,
      isolateTasks: options.isolateTasks ?? false,
      abortGraceMs: resolveAbortGraceMs(options),
      entry: compiledEntryPath(import.meta.url, "child/child-entry.js"),
      threadEntry: compiledEntryPath(import.meta.url, "thread/thread-entry.js"),
      inProcess,
      onScale: (groups) => emitScale(groups),
    });
    super("thread", options, executor, 50);
    this.nThreads = nThreads;
    this.nProcesses = nProcesses;
    this.nProcessFloor = nProcessFloor;
    this.inProcess = inProcess;
    this.#executor = executor;
    emitScale = (groups) => this.log.debug("Process groups changed.", { groups });
  }

  /** Process groups running now. */
  get groupCount(): number {
    return this.#executor.groupCount;
  }
}
