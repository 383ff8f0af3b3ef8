/** Work kept queued ahead of the workers, in ms at the pool's recent completion rate. */
export const PREFETCH_HORIZON_MS = 20;
/** Length of one rate measurement, in ms: short, so the depth follows a burst within tens of ms. */
export const RATE_WINDOW_MS = 25;

/**
 * How many claimed messages a pool keeps queued ahead of its workers: about
 * {@link PREFETCH_HORIZON_MS} of work at the pool's recent completion rate, at least 1 and at most
 * the pool's `prefetch` option (0 turns prefetching off). Short tasks get a deep queue (no claim
 * round trip between them, and large claim batches); long tasks get one message ahead, so a pool
 * never holds much work that another pool could start now.
 */
export class PrefetchDepth {
  readonly #max: number;
  readonly #now: () => number;
  #windowStart: number;
  #completedInWindow = 0;
  /** Completions per ms, smoothed over windows; null before the first window closed. */
  #rate: number | null = null;
  #depth: number;

  /** `max`: the pool's `prefetch` option. `now`: a monotonic clock in ms (injectable for tests). */
  constructor(max: number, now: () => number = () => performance.now()) {
    this.#max = max;
    this.#now = now;
    this.#windowStart = now();
    this.#depth = Math.min(1, max);
  }

  /** Count `count` finished messages. */
  completed(count: number): void {
    this.#completedInWindow += count;
  }

  /** The depth to keep now. */
  get current(): number {
    if (this.#max === 0) return 0;
    const now = this.#now();
    const elapsed = now - this.#windowStart;
    if (elapsed >= RATE_WINDOW_MS) {
      const rate = this.#completedInWindow / elapsed;
      this.#rate = this.#rate === null ? rate : (this.#rate + rate) / 2;
      this.#windowStart = now;
      this.#completedInWindow = 0;
      this.#depth = Math.max(1, Math.min(this.#max, Math.ceil(this.#rate * PREFETCH_HORIZON_MS)));
    }
    return this.#depth;
  }
}
