import type { ProgressReporter } from "../progress/progress-update.js";

/** What the runner of an attempt (a pool's worker) gives {@link runTask}, beyond the message. */
export interface RunContext {
  /**
   * Where the message's `progress(value)` calls go (already checked values); the runner throttles
   * and forwards them to the pool that holds the lease. Omitted: progress is only checked.
   */
  progress?: ProgressReporter;
}
