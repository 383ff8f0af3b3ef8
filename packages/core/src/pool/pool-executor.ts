import type { Assignment, OutcomeReport } from "./assignment.js";
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
}

/**
 * Where a pool runs its assignments: thread groups, dedicated processes... The shared
 * {@link WorkerPool} engine claims, renews, settles and stops; an executor only runs.
 */
export interface PoolExecutor {
  /** Most assignments that may run at once. */
  readonly capacity: number;
  /** Assignments running now. */
  readonly load: number;
  /** Start what must exist before the first claim (e.g. a floor of warm workers). */
  start(context: PoolExecutorContext): Promise<void>;
  /**
   * Run a batch of assignments (those claimed together); their outcomes arrive through
   * {@link PoolExecutorContext.report}. Called only while `load + assignments.length <= capacity`.
   */
  execute(assignments: readonly Assignment[]): void;
  /** Stop a running assignment at once; it is reported with `reason`. */
  cancel(id: number, reason: WireError): void;
  /** Stop every worker. Running assignments are reported as cancelled with `reason` before this resolves. */
  shutdown(reason: WireError): Promise<void>;
  /** Kill every worker synchronously (the process is about to exit). */
  killNow(): void;
}
