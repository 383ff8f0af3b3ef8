import { afterEach, describe, expect, it, vi } from "vitest";
import { decodeResult, encodeResult } from "./result-record.js";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("encodeResult", () => {
  it("stamps the wall clock even when the monotonic clock has drifted from it", () => {
    // A long-lived process: performance.timeOrigin + performance.now() runs ahead of Date.now().
    vi.spyOn(performance, "now").mockReturnValue(performance.now() + 3_600_000);
    const before = Date.now();
    const envelope = encodeResult("done");
    const after = Date.now();
    expect(envelope.timestamp).toBeGreaterThanOrEqual(before);
    expect(envelope.timestamp).toBeLessThanOrEqual(after);
  });

  it("orders results written in the same millisecond by their write order", () => {
    vi.spyOn(Date, "now").mockReturnValue(1_000_000);
    const written = Array.from({ length: 5 }, (_, i) => encodeResult(i));
    const order = written.map((envelope) => decodeResult("u", envelope).writtenAt);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(new Set(order).size).toBe(5);
    for (const envelope of written) expect(envelope.timestamp).toBe(1_000_000);
  });
});
