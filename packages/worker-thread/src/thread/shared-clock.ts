// One clock for the pool's threads: the slot a thread stamps is read by its group on another
// thread. `performance.timeOrigin + performance.now()` is fixed from the wall clock when each
// thread starts and drifts with it, so two threads started apart could disagree by milliseconds
// (6–10 ms were seen in one process in CI), a sixth of the 60 ms that tells a blocked thread.

/** `performance.now()` of this thread → ms on `CLOCK_MONOTONIC`, read once per thread. */
const OFFSET_MS = Number(process.hrtime.bigint()) / 1e6 - performance.now();

/**
 * `performanceNow` (this thread's `performance.now()`) on the machine's monotonic clock, which
 * every thread and process shares. Only differences mean anything (it is not epoch time).
 */
export function sharedClockMs(performanceNow: number = performance.now()): number {
  return performanceNow + OFFSET_MS;
}
