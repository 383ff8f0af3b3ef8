import type { RateLimit } from "./flow-control.js";

/** What a sliding window of claim times allows now; see {@link admitFromWindow}. */
export interface WindowAdmission {
  /** How many more messages may be taken now (0 when the window is full). */
  allowed: number;
  /** When the window is full: the time (epoch ms) the oldest entry leaves it; else `null`. */
  freeAt: number | null;
}

/**
 * Trims `window` (claim times, oldest first) to the entries inside `limit.durationMs` before
 * `now`, in place, and says how many more claims the limit allows. The Memory and SQLite backends
 * keep a queue's window this way; Redis keeps the same window in a sorted set (`claim.lua`).
 */
export function admitFromWindow(window: number[], limit: RateLimit, now: number): WindowAdmission {
  const since = now - limit.durationMs;
  let drop = 0;
  while (drop < window.length && window[drop]! <= since) drop += 1;
  if (drop > 0) window.splice(0, drop);
  const allowed = Math.max(0, limit.max - window.length);
  if (allowed > 0) return { allowed, freeAt: null };
  // Full: capacity returns when the entry that makes it full leaves the window.
  const blocking = window[window.length - limit.max];
  return { allowed: 0, freeAt: (blocking ?? now) + limit.durationMs };
}
