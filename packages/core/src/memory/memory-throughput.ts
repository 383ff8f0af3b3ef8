import { THROUGHPUT_MINUTES, type ThroughputMinute } from "../backend/inspection-types.js";

const MINUTE_MS = 60_000;

/**
 * Completed and failed counts of one queue per minute, for the last hour. Minutes older than that
 * are dropped when a new minute starts, as the Redis keys expire.
 */
export class MemoryThroughput {
  readonly #minutes = new Map<number, { completed: number; failed: number }>();

  /** Count `n` completions or failures at `now`. */
  bump(kind: "completed" | "failed", now: number, n = 1): void {
    const minute = Math.floor(now / MINUTE_MS);
    let counts = this.#minutes.get(minute);
    if (counts === undefined) {
      for (const old of this.#minutes.keys()) if (old <= minute - THROUGHPUT_MINUTES) this.#minutes.delete(old);
      counts = { completed: 0, failed: 0 };
      this.#minutes.set(minute, counts);
    }
    counts[kind] += n;
  }

  /** The last `minutes` minutes up to `now`, oldest first, zeros included. */
  read(minutes: number, now: number): ThroughputMinute[] {
    const current = Math.floor(now / MINUTE_MS);
    const out: ThroughputMinute[] = [];
    for (let minute = current - minutes + 1; minute <= current; minute++) {
      const counts = this.#minutes.get(minute);
      out.push({ minute: minute * MINUTE_MS, completed: counts?.completed ?? 0, failed: counts?.failed ?? 0 });
    }
    return out;
  }

  clear(): void {
    this.#minutes.clear();
  }
}
