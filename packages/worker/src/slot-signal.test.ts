import { afterEach, describe, expect, it, vi } from "vitest";
import { SlotSignal } from "./slot-signal.js";

describe("SlotSignal", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("wakes the waiter on notify, and nobody waits afterwards", async () => {
    const signal = new SlotSignal();
    expect(signal.waiting).toBe(false);
    const woken = signal.wait(60_000);
    expect(signal.waiting).toBe(true);
    signal.notify();
    await woken;
    expect(signal.waiting).toBe(false);
  });

  it("gives up waiting after maxWaitMs", async () => {
    vi.useFakeTimers();
    const signal = new SlotSignal();
    let resolved = false;
    const waited = signal.wait(50).then(() => {
      resolved = true;
    });
    await vi.advanceTimersByTimeAsync(49);
    expect(resolved).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await waited;
    expect(resolved).toBe(true);
    expect(signal.waiting).toBe(false);
  });

  it("a notify with nobody waiting is not remembered", async () => {
    vi.useFakeTimers();
    const signal = new SlotSignal();
    signal.notify();
    let resolved = false;
    void signal.wait(50).then(() => {
      resolved = true;
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(resolved).toBe(false);
    signal.notify();
    await vi.advanceTimersByTimeAsync(0);
    expect(resolved).toBe(true);
  });
});
