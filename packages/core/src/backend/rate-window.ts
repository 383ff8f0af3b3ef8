import type { RateLimit } from "./flow-control.js";

/** Longest margin {@link countingWindowMs} adds to a window. */
export const MAX_START_SKEW_MS = 50;

/**
 * How long a claim counts against a rate limit: `durationMs` plus a margin for the time between a
 * claim (stamped on the backend's clock) and the start of its task (a reply in transit, a pool's
 * dispatch), 5% of `durationMs` up to {@link MAX_START_SKEW_MS}. Without it, a batch claimed the
 * moment the window frees could start a few ms sooner after the previous batch than the claims
 * were apart, and a window of start times would hold more than `max`. Every backend counts with
 * this length (Redis stores it next to the limit, so `claim.lua` does not repeat the rule).
 */
export function countingWindowMs(limit: RateLimit): number {
  return limit.durationMs + Math.min(MAX_START_SKEW_MS, Math.floor(limit.durationMs / 20));
}

/** What a sliding window of claim times allows now; see {@link admitFromWindow}. */
export interface WindowAdmission {
  /** How many more messages may be taken now (0 when the window is full). */
  allowed: number;
  /** When the window is full: the time (epoch ms) the oldest entry leaves it; else `null`. */
  freeAt: number | null;
}

/**
 * Trims `window` (claim times, oldest first) to the entries inside {@link countingWindowMs} before
 * `now`, in place, and says how many more claims the limit allows. The Memory and SQLite backends
 * keep a queue's window this way; Redis keeps the same window in a sorted set (`claim.lua`).
 */
export function admitFromWindow(window: number[], limit: RateLimit, now: number): WindowAdmission {
  const windowMs = countingWindowMs(limit);
  const since = now - windowMs;
  let drop = 0;
  while (drop < window.length && window[drop]! <= since) drop += 1;
  if (drop > 0) window.splice(0, drop);
  const allowed = Math.max(0, limit.max - window.length);
  if (allowed > 0) return { allowed, freeAt: null };
  // Full: capacity returns when the entry that makes it full leaves the window.
  const blocking = window[window.length - limit.max];
  return { allowed: 0, freeAt: (blocking ?? now) + windowMs };
}
