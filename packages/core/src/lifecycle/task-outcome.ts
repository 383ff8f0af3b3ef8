/** What one run of a task produced: its result, or the error it threw. */
export type TaskOutcome = { ok: true; result: unknown } | { ok: false; error: unknown };

/** What {@link MessageSettler.settle} did with an outcome. */
export type SettleDisposition =
  /** Acked (result stored, callback enqueued), status SUCCEEDED. */
  | "succeeded"
  /** Scheduled again with backoff, status RETRYING. */
  | "retried"
  /** Moved to the dead-letter queue, status FAILED. */
  | "failed"
  /** The message was revoked: `onRevocation` ran, nothing else. */
  | "revoked"
  /** The lease was lost (another consumer holds the message): nothing changed. */
  | "lost"
  /** The message was gone (removed) before it could be settled: nothing changed. */
  | "gone";
