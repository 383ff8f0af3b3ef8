import { ValidationError } from "../errors/index.js";
import { TaskStatus } from "./task-status.js";

/**
 * Rank of the terminal statuses (SUCCEEDED, FAILED): nothing moves a message past them, and the
 * first one written stays. 2^52: every rank is an exact integer in a double, and 16 digits wide.
 */
export const TERMINAL_STATUS_RANK = 2 ** 52;

/** Rank of UNKNOWN: above every live status (the scanner found the message gone), below terminal. */
export const UNKNOWN_STATUS_RANK = TERMINAL_STATUS_RANK - 1;

/**
 * The position of `status` in a message's life, for guarded status writes: a backend stores a
 * status only when its rank is above the stored one, so statuses never move backwards.
 *
 * The order, where `attempt` is the message's `retries` when it runs (0 for the first run):
 * `SUBMITTED` (waiting for attempt 0) < `RUNNING(0)` < `RETRYING` (waiting for attempt 1) <
 * `RUNNING(1)` < … < `UNKNOWN` < `SUCCEEDED` = `FAILED`. Waiting for attempt `n` ranks `2n + 1`
 * (SUBMITTED and RETRYING alike: a handed-back message waits as SUBMITTED), running it `2n + 2`.
 * UNKNOWN is written only by the integrity scanner, for a live status whose message is gone.
 * @throws ValidationError when `attempt` is not an integer ≥ 0 or `status` is not a TaskStatus.
 */
export function statusRank(status: TaskStatus, attempt: number): number {
  if (!Number.isSafeInteger(attempt) || attempt < 0) {
    throw new ValidationError(`statusRank: attempt must be an integer ≥ 0 (the message's retries), got ${String(attempt)}.`);
  }
  // Attempts this high never happen; the cap keeps live ranks below UNKNOWN.
  const live = (rank: number): number => Math.min(rank, UNKNOWN_STATUS_RANK - 1);
  switch (status) {
    case TaskStatus.SUBMITTED:
    case TaskStatus.RETRYING:
      return live(2 * attempt + 1);
    case TaskStatus.RUNNING:
      return live(2 * attempt + 2);
    case TaskStatus.UNKNOWN:
      return UNKNOWN_STATUS_RANK;
    case TaskStatus.SUCCEEDED:
    case TaskStatus.FAILED:
      return TERMINAL_STATUS_RANK;
    default:
      throw new ValidationError(`statusRank: ${JSON.stringify(status)} is not a TaskStatus.`);
  }
}
