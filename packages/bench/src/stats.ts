/**
 * Order statistics for benchmark samples. Every helper ignores nothing and sorts a copy: the
 * caller's array is never reordered.
 */

function sortedCopy(samples: readonly number[]): number[] {
  if (samples.length === 0) {
    throw new RangeError("No samples: a statistic needs at least one value.");
  }
  for (const value of samples) {
    if (!Number.isFinite(value)) {
      throw new RangeError(`Sample ${value} is not a finite number: fix the measurement first.`);
    }
  }
  return [...samples].sort((a, b) => a - b);
}

/**
 * The `p`-th percentile (0 ≤ p ≤ 100) by linear interpolation between closest ranks, the
 * definition NumPy and most spreadsheet tools use by default.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) {
    throw new RangeError(`Percentile ${p} is outside 0..100.`);
  }
  const sorted = sortedCopy(samples);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low] as number;
  const highValue = sorted[high] as number;
  return lowValue + (highValue - lowValue) * (rank - low);
}

/** The median: the mean of the two middle values when the count is even. */
export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/** Arithmetic mean. */
export function mean(samples: readonly number[]): number {
  const sorted = sortedCopy(samples);
  return sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
}

/** p50, p95 and p99 of one sample set. */
export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
}

/** The three percentiles the latency scenario reports. */
export function summarizeLatency(samples: readonly number[]): LatencySummary {
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), p99: percentile(samples, 99) };
}

/**
 * `a ÷ b`, or `null` when the quotient means nothing (a zero or missing denominator), so a
 * report never prints `Infinity` as if it were a result.
 */
export function ratio(a: number | undefined, b: number | undefined): number | null {
  if (a === undefined || b === undefined || b === 0 || !Number.isFinite(a) || !Number.isFinite(b)) {
    return null;
  }
  return a / b;
}
