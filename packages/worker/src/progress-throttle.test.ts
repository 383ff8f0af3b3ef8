import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ProgressValue } from "@alsek/core";
import { PROGRESS_INTERVAL_MS, ProgressThrottle } from "./progress-throttle.js";

describe("ProgressThrottle", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("sends the first value at once and at most one per interval after it, keeping the last", () => {
    const sent: ProgressValue[] = [];
    const throttle = new ProgressThrottle((value) => sent.push(value));
    for (let i = 1; i <= 1_000; i++) throttle.push(i / 10);
    expect(sent).toEqual([0.1]);
    vi.advanceTimersByTime(PROGRESS_INTERVAL_MS);
    expect(sent).toEqual([0.1, 100]);
    vi.advanceTimersByTime(10 * PROGRESS_INTERVAL_MS);
    expect(sent).toEqual([0.1, 100]);
  });

  it("sends a value reported after a quiet interval at once", () => {
    const sent: ProgressValue[] = [];
    const throttle = new ProgressThrottle((value) => sent.push(value));
    throttle.push(1);
    vi.advanceTimersByTime(PROGRESS_INTERVAL_MS + 1);
    throttle.push(2);
    expect(sent).toEqual([1, 2]);
  });

  it("flushes the waiting value when the task finishes, and takes none after", () => {
    const sent: ProgressValue[] = [];
    const throttle = new ProgressThrottle((value) => sent.push(value));
    throttle.push({ step: 1 });
    throttle.push({ step: 2 });
    throttle.push({ step: 3 });
    throttle.flush();
    expect(sent).toEqual([{ step: 1 }, { step: 3 }]);
    throttle.push({ step: 4 });
    vi.advanceTimersByTime(10 * PROGRESS_INTERVAL_MS);
    expect(sent).toEqual([{ step: 1 }, { step: 3 }]);
  });
});
