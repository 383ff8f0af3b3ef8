import { describe, expect, it } from "vitest";
import { SchedulingError } from "../errors/index.js";
import { CronTrigger } from "./cron-trigger.js";
import { DateTrigger } from "./date-trigger.js";
import { IntervalTrigger } from "./interval-trigger.js";
import { firstSlot, parseTriggerSpec, slotAfter } from "./trigger-spec.js";

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

describe("trigger specs: the slots every process computes alike", () => {
  it("puts interval slots on a grid from the first one, skipping slots already past", () => {
    const spec = new IntervalTrigger({ seconds: 1 }).spec;
    expect(spec).toEqual({ kind: "interval", intervalMs: 1_000 });
    expect(firstSlot(spec, T0)).toBe(T0 + 1_000);
    expect(slotAfter(spec, T0 + 1_000, T0 + 1_003, 1)).toBe(T0 + 2_000);
    // Nobody fired for 3.5 periods: the next slot is the first one still ahead, not a burst.
    expect(slotAfter(spec, T0 + 1_000, T0 + 4_500, 1)).toBe(T0 + 5_000);
    expect(slotAfter(spec, T0 + 1_000, T0 + 2_000, 1)).toBe(T0 + 3_000);
  });

  it("reads cron patterns in the stored time zone and stops after maxRuns", () => {
    const spec = new CronTrigger("0 9 * * *", { timezone: "Europe/Oslo", maxRuns: 2 }).spec;
    expect(spec).toEqual({ kind: "cron", pattern: "0 9 * * *", timezone: "Europe/Oslo", startAt: null, stopAt: null, maxRuns: 2 });
    const first = firstSlot(spec, T0)!;
    expect(new Date(first).toISOString()).toBe("2026-01-02T08:00:00.000Z");
    expect(new Date(slotAfter(spec, first, first + 5, 1)!).toISOString()).toBe("2026-01-03T08:00:00.000Z");
    expect(slotAfter(spec, first, first + 5, 2)).toBeNull();
    expect(new CronTrigger("* * * * *").spec).toMatchObject({ timezone: Intl.DateTimeFormat().resolvedOptions().timeZone, maxRuns: null });
  });

  it("fires a date once, and never when it is already past", () => {
    const spec = new DateTrigger(T0 + 5_000).spec;
    expect(firstSlot(spec, T0)).toBe(T0 + 5_000);
    expect(firstSlot(spec, T0 + 6_000)).toBeNull();
    expect(slotAfter(spec, T0 + 5_000, T0 + 5_001, 1)).toBeNull();
  });

  it("refuses a stored trigger it does not know", () => {
    expect(parseTriggerSpec('{"kind":"interval","intervalMs":5}')).toEqual({ kind: "interval", intervalMs: 5 });
    expect(() => parseTriggerSpec('{"kind":"rrule"}')).toThrow(SchedulingError);
    expect(() => parseTriggerSpec("not json")).toThrow(/is not one this version of Alsek knows/);
  });
});
