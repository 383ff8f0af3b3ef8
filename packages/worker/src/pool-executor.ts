import type { Assignment, OutcomeReport, ProgressReport } from "./assignment.js";
import type { WireError } from "./wire-outcome.js";

/** What the engine gives an executor when the pool starts. */
export interface PoolExecutorContext {
  /**
   * `file://` URLs of the modules that define the pool's tasks: warm workers import them before
   * the first assignment arrives, so the first tasks do not pay for module loading.
   */
  readonly moduleUrls: readonly string[];
  /**
   * Where outcomes go, in batches: everything that finished in one tick comes in one call, so
   * the engine settles (and acks) them together. Every executed assignment is reported exactly
   * once, including timeouts, crashes and cancellations (as failed outcomes).
   */
  report(reports: readonly OutcomeReport[]): void;
  /**
   * Ids of assignments with `notifyStart` that a worker took up (left the queue), in batches.
   * Called before their outcomes are reported.
   */
  started(ids: readonly number[]): void;
  /**
   * A running assignment reported its progress (throttled by the worker, see `ProgressThrottle`):
   * the pool writes it under the message's lease. Executors pass these on as they arrive, before
   * the assignment's outcome.
   */
  progress(report: ProgressReport): void;
  /**
   * The executor cannot start its workers (a thread or process that exits before it is ready, a
   * fork or `new Worker` that fails): the pool stops at once and `run()` rejects with a
   * `WorkerStartError` naming `error`. Report the assignments those workers held first, as not
   * started (`NOT_STARTED_ERROR`), so the pool hands them back to their queues.
   */
  failed(error: Error): void;
}

/**
 * The context of an executor that has not started (or whose pool has gone): every call is
 * ignored. Executors hold it until `start` gives them the pool's.
 */
export const DETACHED_EXECUTOR_CONTEXT: PoolExecutorContext = {
  moduleUrls: [],
  report: () => {},
  started: () => {},
  progress: () => {},
  failed: () => {},
};

/**
 * Where a pool runs its assignments: thread groups, dedicated processes... The shared
 * {@link WorkerPool} engine claims, renews, settles and stops; an executor only runs.
 */
export interface PoolExecutor {
  /** Most assignments that may run at once. */
  readonly capacity: number;
  /**
   * `true` for an executor that runs assignments in the pool's own process, without cloning
   * them: an untraced assignment's `messageData` is then the pool's `Message` itself (no compact
   * copy to make and expand again). The executor must copy it (`new Message(data)`) before a
   * task sees it. Omitted: `messageData` is always the compact wire form.
   */
  readonly inProcess?: boolean;
  /** Assignments running or queued now. */
  readonly load: number;
  /** Start what must exist before the first claim (e.g. a floor of warm workers). */
  start(context: PoolExecutorContext): Promise<void>;
  /**
   * Run a batch of assignments (those claimed together); their outcomes arrive through
   * {@link PoolExecutorContext.report}. The engine may hand over more than `capacity` (its
   * prefetch): the executor queues the surplus, in order, close to where it runs, and starts each
   * one the moment a slot frees, so no claim round trip sits between one task and the next. A
   * queued assignment's timeout counts from its start. An executor that throws here has taken
   * none of the batch: the pool hands the whole batch back and stops (see
   * {@link PoolExecutorContext.failed}).
   */
  execute(assignments: readonly Assignment[]): void;
  /** Stop a running assignment at once, or drop it if still queued; it is reported with `reason`. */
  cancel(id: number, reason: WireError): void;
  /**
   * Report every assignment still queued (not started) with `reason`, at once, without running
   * it: the pool is stopping and hands them back to their queues.
   */
  dropQueued(reason: WireError): void;
  /** Stop every worker. Running assignments are reported as cancelled with `reason` before this resolves. */
  shutdown(reason: WireError): Promise<void>;
  /** Kill every worker synchronously (the process is about to exit). */
  killNow(): void;
}
