import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors/index.js";
import {
  ConstantBackoff,
  ExponentialBackoff,
  LinearBackoff,
  backoffFromSettings,
  noBackoff,
} from "./index.js";

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("backoff tables of the original", () => {
  it("ExponentialBackoff defaults give 0, 60000, 160000, 640000, 2560000, 3600000, 3600000", () => {
    const backoff = new ExponentialBackoff();
    expect(range(7).map((i) => backoff.get(i))).toEqual([0, 60_000, 160_000, 640_000, 2_560_000, 3_600_000, 3_600_000]);
  });

  it("ExponentialBackoff without zeroOverride clips the first delay to the floor", () => {
    const backoff = new ExponentialBackoff({ zeroOverride: false });
    expect(range(3).map((i) => backoff.get(i))).toEqual([60_000, 60_000, 160_000]);
  });

  it("ConstantBackoff keeps the 60 s default floor even for a small constant", () => {
    const backoff = new ConstantBackoff({ constant: 1_000 });
    expect(range(3).map((i) => backoff.get(i))).toEqual([0, 60_000, 60_000]);
  });

  it("LinearBackoff defaults give 0, 60000, 60000, 90000, 120000", () => {
    const backoff = new LinearBackoff();
    expect(range(5).map((i) => backoff.get(i))).toEqual([0, 60_000, 60_000, 90_000, 120_000]);
  });

  it("a linear consumer-style backoff grows from its floor to its ceiling", () => {
    const backoff = new LinearBackoff({ factor: 1_000, floor: 1_000, ceiling: 30_000, zeroOverride: false });
    expect([0, 5, 30, 50].map((i) => backoff.get(i))).toEqual([1_000, 5_000, 30_000, 30_000]);
  });

  it("backoff null on a task means always zero", () => {
    const backoff = noBackoff();
    expect(range(5).map((i) => backoff.get(i))).toEqual([0, 0, 0, 0, 0]);
  });

  it("a null ceiling leaves growth unbounded", () => {
    expect(new ExponentialBackoff({ ceiling: null }).get(6)).toBe(10_000 * 4 ** 6);
  });
});

describe("backoff settings", () => {
  it("persist the original's parameters in camelCase", () => {
    expect(new ExponentialBackoff().settings).toEqual({
      algorithm: "ExponentialBackoff",
      parameters: { base: 4, factor: 10_000, floor: 60_000, ceiling: 3_600_000, zeroOverride: true },
    });
    expect(new ConstantBackoff({ ceiling: 90_000 }).parameters).toEqual({
      constant: 60_000, floor: 60_000, ceiling: 90_000, zeroOverride: true,
    });
  });

  it("rebuild an equivalent backoff", () => {
    for (const backoff of [new ConstantBackoff({ constant: 5 }), new LinearBackoff({ floor: null }), new ExponentialBackoff({ base: 2 })]) {
      const rebuilt = backoffFromSettings(backoff.settings);
      expect(rebuilt.constructor).toBe(backoff.constructor);
      expect(range(8).map((i) => rebuilt.get(i))).toEqual(range(8).map((i) => backoff.get(i)));
    }
  });

  it("reject an unknown algorithm", () => {
    expect(() => backoffFromSettings({ algorithm: "Fibonacci", parameters: {} })).toThrow(/No backoff algorithm 'Fibonacci'/);
  });
});

describe("backoff validation", () => {
  it("rejects a floor above the ceiling", () => {
    expect(() => new LinearBackoff({ floor: 10, ceiling: 5 })).toThrow(ValidationError);
  });

  it("rejects negative numbers", () => {
    expect(() => new ConstantBackoff({ constant: -1 })).toThrow(/constant/);
    expect(() => new LinearBackoff({ factor: -1 })).toThrow(/factor/);
    expect(() => new ExponentialBackoff({ base: -2 })).toThrow(/base/);
    expect(() => new ExponentialBackoff({ floor: -1 })).toThrow(/floor/);
  });
});
