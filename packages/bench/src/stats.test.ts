import { describe, expect, it } from "vitest";
import { mean, median, percentile, ratio, summarizeLatency } from "./stats.js";

describe("median", () => {
  it("takes the middle value of an odd count", () => {
    expect(median([5, 1, 3])).toBe(3);
  });

  it("averages the two middle values of an even count", () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("leaves the caller's array in its original order", () => {
    const samples = [3, 1, 2];
    median(samples);
    expect(samples).toEqual([3, 1, 2]);
  });

  it("refuses an empty sample set", () => {
    expect(() => median([])).toThrow(RangeError);
  });

  it("refuses a non-finite sample", () => {
    expect(() => median([1, Number.NaN])).toThrow(/not a finite number/);
  });
});

describe("percentile", () => {
  const oneToHundredOne = Array.from({ length: 101 }, (_, i) => i);

  it("returns the exact rank when it falls on a sample", () => {
    expect(percentile(oneToHundredOne, 95)).toBe(95);
    expect(percentile(oneToHundredOne, 99)).toBe(99);
  });

  it("interpolates linearly between closest ranks", () => {
    expect(percentile([10, 20], 25)).toBe(12.5);
    expect(percentile([1, 2, 3, 4], 90)).toBeCloseTo(3.7, 10);
  });

  it("returns the extremes at 0 and 100", () => {
    expect(percentile([7, 3, 9], 0)).toBe(3);
    expect(percentile([7, 3, 9], 100)).toBe(9);
  });

  it("refuses a percentile outside 0..100", () => {
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], -1)).toThrow(RangeError);
  });
});

describe("summarizeLatency", () => {
  it("reports p50, p95 and p99 of the samples", () => {
    const samples = Array.from({ length: 101 }, (_, i) => 100 - i);
    expect(summarizeLatency(samples)).toEqual({ p50: 50, p95: 95, p99: 99 });
  });
});

describe("mean", () => {
  it("averages the samples", () => {
    expect(mean([1, 2, 6])).toBe(3);
  });
});

describe("ratio", () => {
  it("divides the first value by the second", () => {
    expect(ratio(6, 3)).toBe(2);
  });

  it("is null when the denominator is zero or missing", () => {
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(1, undefined)).toBeNull();
    expect(ratio(undefined, 1)).toBeNull();
  });
});
