import type { Mechanism, Task } from "@alsek/core";
import type { WorkerPool } from "@alsek/worker";

/** The pool a behaviour asks a {@link WorkerPoolSubject} for. */
export interface PoolRequest {
  /** The tasks to give the pool. */
  tasks: readonly Task[];
  /**
   * Queues to consume, in order.
   * @defaultValue the queues of `tasks`, alphabetically (as the pools do)
   */
  queues?: readonly string[];
  /**
   * How many tasks the pool runs at once. The suite asks for 1, 2 and 4 and checks
   * `pool.capacity` against it where capacity matters.
   */
  capacity: number;
  /** @defaultValue the pool's default (its capacity, at least 4) */
  prefetch?: number;
  /** @defaultValue the pool's default (30_000) */
  leaseMs?: number;
  /** @defaultValue the pool's default (30_000) */
  stopGraceMs?: number;
  /** @defaultValue the pool's default (1_000) */
  abortGraceMs?: number;
  /**
   * Install SIGTERM/SIGINT handlers. Pools started inside the test process get `false`; the pool
   * run in its own process keeps the pool's default, since its SIGTERM behaviour is under test.
   * @defaultValue the pool's default (`true`)
   */
  handleSignals?: boolean;
}

/**
 * The worker pool under test, as `describeWorkerPoolBehaviour` sees it.
 *
 * A pool runs in a separate process for the SIGKILL and SIGTERM behaviours, so the subject must be
 * defined in a module of its own that exports it as `poolSubject`, and {@link moduleUrl} must be
 * that module's `import.meta.url`. Keep that module free of test code: the pool process imports it.
 *
 * @typeParam P - the pool class.
 * @typeParam O - options specific to the pool (`nThreads`, `maxTasksPerProcess`, ...) that a
 *   package's own tests pass to {@link createPool}.
 */
export interface WorkerPoolSubject<P extends WorkerPool = WorkerPool, O extends object = object> {
  /** Name of the pool class, used in test titles (`"ThreadWorkerPool"`). */
  readonly name: string;
  /** The mechanism the pool runs (its tasks are defined with it). */
  readonly mechanism: Mechanism;
  /**
   * How the pool stops an attempt: `"hard"` (a thread or process is ended, even in a busy loop or
   * after `process.exit`-like crashes) or `"soft"` (only the task's `message.signal` aborts, as
   * the in-loop pool does). A soft pool skips the behaviours that need a hard stop or isolation and
   * gets the soft-timeout ones instead.
   * @defaultValue "hard"
   */
  readonly stops?: "hard" | "soft";
  /** `import.meta.url` of the module that exports this subject as `poolSubject`. */
  readonly moduleUrl: string;
  /**
   * A pool, not running yet, for `request`; `options` (given only by the package's own tests)
   * override what the request maps to. Must throw what the pool's constructor throws.
   */
  createPool(request: PoolRequest, options?: O): P;
}
