import { describe, expect, it } from "vitest";
import { PREFETCH_HORIZON_MS, PrefetchDepth, RATE_WINDOW_MS } from "./prefetch-depth.js";

describe("PrefetchDepth", () => {
  const clock = () => {
    let now = 0;
    return { now: () => now, advance: (ms: number) => (now += ms) };
  };

  it("starts one message ahead and stays off when the maximum is 0", () => {
    const time = clock();
    expect(new PrefetchDepth(64, time.now).current).toBe(1);
    const off = new PrefetchDepth(0, time.now);
    off.completed(1_000);
    time.advance(200);
    expect(off.current).toBe(0);
  });

  it("keeps about the horizon's worth of work at the recent rate, capped by the maximum", () => {
    const time = clock();
    const depth = new PrefetchDepth(64, time.now);
    // 2 completions per ms: the horizon's worth is 2 * PREFETCH_HORIZON_MS, under the cap of 64 when the horizon is 20 ms.
    depth.completed(200);
    time.advance(100);
    expect(depth.current).toBe(Math.min(64, 2 * PREFETCH_HORIZON_MS));
    depth.completed(10_000);
    time.advance(100);
    expect(depth.current).toBe(64);
  });

  it("falls back to one message ahead for long tasks and when idle", () => {
    const time = clock();
    const depth = new PrefetchDepth(64, time.now);
    depth.completed(1);
    time.advance(1_000);
    expect(depth.current).toBe(1);
    for (let i = 0; i < 5; i++) {
      time.advance(100);
      expect(depth.current).toBe(1);
    }
  });

  it("only changes once a measurement window has passed", () => {
    const time = clock();
    const depth = new PrefetchDepth(64, time.now);
    depth.completed(1_000);
    time.advance(RATE_WINDOW_MS - 1);
    expect(depth.current).toBe(1);
    time.advance(1);
    expect(depth.current).toBeGreaterThan(1);
  });
});
