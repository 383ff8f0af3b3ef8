import { requireInteger, resolveAbortGraceMs, WorkerPool, type WorkerPoolOptions } from "@alsek/worker";
import { InLoopExecutor } from "./in-loop-executor.js";

/** Default {@link InLoopWorkerPoolOptions.concurrency}. */
export const DEFAULT_IN_LOOP_CONCURRENCY = 32;

/** Options of {@link InLoopWorkerPool}. */
export interface InLoopWorkerPoolOptions extends WorkerPoolOptions {
  /**
   * Tasks running at once in the pool's event loop.
   * @defaultValue 32
   */
  concurrency?: number;
  /**
   * Longest wait for a free slot before looking again, in ms.
   * @defaultValue 50
   */
  slotWaitInterval?: number;
}

/**
 * Runs thread-mechanism tasks in the pool's own event loop, as BullMQ's `Worker` does: no thread
 * or process hop per message, so I/O-bound async tasks (HTTP calls, database queries) run with
 * the least overhead and memory. Timeouts are soft: at the deadline `message.signal` aborts, the
 * attempt fails with `TaskTimeoutError` and its slot frees, but a function that ignores the signal
 * is not stopped. Revocation, a lost lease and the end of a graceful stop abort the signal too,
 * and wait up to `abortGraceMs` for the function to end. A task that blocks the event loop blocks
 * the pool (claims, lease renewals), and one that crashes the process takes the pool down: use
 * {@link ThreadWorkerPool} (hard timeouts, isolation) for CPU-bound or untrusted tasks.
 *
 * @example
 * ```ts
 * await new InLoopWorkerPool({ tasks: [fetchPage], concurrency: 50 }).run();
 * ```
 */
export class InLoopWorkerPool extends WorkerPool {
  /** Tasks running at once. */
  readonly concurrency: number;

  /**
   * @throws NoTasksFoundError, MultipleBrokersError, TaskNameCollisionError, or ValidationError
   *   for an option out of range.
   */
  constructor(options: InLoopWorkerPoolOptions) {
    const concurrency = requireInteger("concurrency", options.concurrency ?? DEFAULT_IN_LOOP_CONCURRENCY, 1);
    const executor = new InLoopExecutor({ concurrency, abortGraceMs: resolveAbortGraceMs(options) });
    super("thread", options, executor, 50);
    executor.useTasks(this.tasks);
    this.concurrency = concurrency;
  }
}
