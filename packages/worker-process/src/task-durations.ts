import { PREFETCH_HORIZON_MS } from "@alsek/worker";

/**
 * How long the tasks of each name recently ran (from their start, as the pool knows it, to their
 * outcome's arrival), smoothed like the pool's completion rate (`PrefetchDepth`): each new run
 * time is averaged with the estimate so far. It decides where a standby may wait (see
 * {@link TaskDurations.isShort}).
 */
export class TaskDurations {
  readonly #estimates = new Map<string, number>();

  /** Count one run of `taskName` that took `durationMs`. */
  record(taskName: string, durationMs: number): void {
    const estimate = this.#estimates.get(taskName);
    this.#estimates.set(taskName, estimate === undefined ? durationMs : (estimate + durationMs) / 2);
  }

  /** The estimated run time of `taskName` in ms, or undefined before its first measured run. */
  estimateMs(taskName: string): number | undefined {
    return this.#estimates.get(taskName);
  }

  /**
   * Whether a task named `taskName` is short enough to have a standby wait behind it: it has run
   * before here, and about {@link PREFETCH_HORIZON_MS} or less. That is the same horizon the
   * pool's prefetch keeps queued ahead, so a standby waits no longer than a prefetched message
   * would; a task not measured yet gets no standby.
   */
  isShort(taskName: string): boolean {
    const estimate = this.#estimates.get(taskName);
    return estimate !== undefined && estimate <= PREFETCH_HORIZON_MS;
  }
}
