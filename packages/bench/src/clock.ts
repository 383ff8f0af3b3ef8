/**
 * Wall-clock time in ms with sub-millisecond resolution, comparable across the bench's
 * processes and worker threads (each has its own `timeOrigin`, all taken from the same clock).
 */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
