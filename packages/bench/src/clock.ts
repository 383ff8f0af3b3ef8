/**
 * A time in ms with sub-millisecond resolution on one clock shared by every process and worker
 * thread of the machine: Linux's `CLOCK_MONOTONIC` (`process.hrtime`), which no clock adjustment
 * moves. Only differences mean anything (it is not epoch time). It replaced
 * `performance.timeOrigin + performance.now()`, which is fixed from the wall clock when each
 * process starts and then drifts with it: two processes started seconds apart could disagree by
 * milliseconds (a CI run saw 6–10 ms between a test process and the wall clock), more than the
 * latencies this bench measures.
 */
export function sharedClockMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
