/**
 * A cap on how many messages may start in any window of `durationMs`: a claim takes a message only
 * while fewer than `max` were taken in the `durationMs` before it (a sliding window over claim
 * times, on the backend's clock, plus a small margin for the claim-to-start delay: see
 * `countingWindowMs`). Every pool on every host counts in the same window.
 */
export interface RateLimit {
  /** Messages allowed to start per window, an integer from 1 to {@link MAX_RATE_LIMIT_MAX}. */
  max: number;
  /** Length of the window in ms, an integer from 1 to {@link MAX_RATE_LIMIT_DURATION_MS}. */
  durationMs: number;
}

/** The flow-control settings of one queue, as {@link Backend.getQueueControl} reads them. */
export interface QueueControl {
  /** Whether claims skip the queue (see {@link Backend.setQueuePaused}). */
  paused: boolean;
  /** The queue's rate limit, or `null` when it has none. */
  rateLimit: RateLimit | null;
  /** Rate limits of single tasks of the queue, by task name (empty when none). */
  taskRateLimits: Record<string, RateLimit>;
}

/** Largest {@link RateLimit.max}: the window of claim times is stored, one entry per claim. */
export const MAX_RATE_LIMIT_MAX = 100_000;

/** Longest {@link RateLimit.durationMs}: one day. */
export const MAX_RATE_LIMIT_DURATION_MS = 86_400_000;
