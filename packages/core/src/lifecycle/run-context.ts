import type { AttemptAbort } from "../messages/attempt-abort.js";
import type { ProgressReporter } from "../progress/progress-update.js";

/** What the runner of an attempt (a pool's worker) gives {@link runTask}, beyond the message. */
export interface RunContext {
  /**
   * The attempt's abort switch: the task sees it as `message.signal`. Whoever runs the attempt
   * aborts it when the attempt is stopped (timeout, revocation, lost lease, graceful stop).
   * @defaultValue none (`message.signal` never aborts)
   */
  abort?: AttemptAbort;
  /**
   * Where the message's `progress(value)` calls go (already checked values); the runner throttles
   * and forwards them to the pool that holds the lease. Omitted: progress is only checked.
   */
  progress?: ProgressReporter;
}
