import type { Message } from "@alsek/core";

/** Events of a worker pool, with their arguments. */
export interface WorkerPoolEvents {
  /** The pool is consuming. */
  started: [];
  /** A message succeeded (after its result, callback and status were written). */
  completed: [message: Message, result: unknown];
  /**
   * A message failed for good (dead-lettered or revoked). A message whose stored data could not be
   * decoded comes with a `MessageDecodeError`, and as the data that was dead-lettered.
   */
  failed: [message: Message, error: unknown];
  /** A message failed and was scheduled to run again. */
  retried: [message: Message, error: unknown];
  /** The pool stopped; `run()` resolves right after. */
  stopped: [];
}
