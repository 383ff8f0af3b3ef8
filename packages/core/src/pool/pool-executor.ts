import type { Assignment } from "./assignment.js";
import type { WireError, WireOutcome } from "./wire-outcome.js";

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
  start(): Promise<void>;
  /**
   * Run one assignment. Resolves with its outcome, including timeouts, crashes and cancellations
   * (which arrive as failed outcomes). Never rejects. Called only while `load < capacity`.
   */
  execute(assignment: Assignment): Promise<WireOutcome>;
  /** Stop a running assignment at once; its `execute` promise resolves with `reason`. */
  cancel(id: number, reason: WireError): void;
  /** Stop every worker. Running assignments resolve as cancelled with `reason`. */
  shutdown(reason: WireError): Promise<void>;
  /** Kill every worker synchronously (the process is about to exit). */
  killNow(): void;
}
