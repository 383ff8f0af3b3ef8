import { ValidationError } from "../errors/index.js";
import type { Trigger, TriggerSchedule } from "./trigger.js";
import type { TriggerSpec } from "./trigger-spec.js";

/** The length of an {@link IntervalTrigger}'s period; parts add up. */
export interface IntervalTriggerOptions {
  weeks?: number;
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
  milliseconds?: number;
}

const UNIT_MS: Record<keyof IntervalTriggerOptions, number> = {
  weeks: 604_800_000,
  days: 86_400_000,
  hours: 3_600_000,
  minutes: 60_000,
  seconds: 1_000,
  milliseconds: 1,
};

// setTimeout clamps longer delays to 1 ms, so long periods are waited for in chunks.
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Fires every period, the first time one period after the schedule starts
 * (`new IntervalTrigger({ hours: 1 })`). Fires are on a fixed grid from the start, so a slow
 * fire does not shift later ones.
 */
export class IntervalTrigger implements Trigger {
  /** The period in ms. */
  readonly intervalMs: number;

  constructor(options: IntervalTriggerOptions) {
    let total = 0;
    for (const [unit, value] of Object.entries(options ?? {})) {
      const factor = UNIT_MS[unit as keyof IntervalTriggerOptions];
      if (factor === undefined) {
        throw new ValidationError(
          `IntervalTrigger: unknown unit '${unit}'; use ${Object.keys(UNIT_MS).join(", ")}.`,
        );
      }
      if (value === undefined) continue;
      if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
        throw new ValidationError(`IntervalTrigger: \`${unit}\` must be a finite number ≥ 0, got ${String(value)}.`);
      }
      total += value * factor;
    }
    total = Math.round(total);
    if (total < 1) {
      throw new ValidationError("IntervalTrigger: the period must be at least 1 ms; give e.g. { seconds: 30 }.");
    }
    this.intervalMs = total;
  }

  get description(): string {
    return `every ${this.intervalMs} ms`;
  }

  get spec(): TriggerSpec {
    return { kind: "interval", intervalMs: this.intervalMs };
  }

  start(onFire: () => void): TriggerSchedule {
    const period = this.intervalMs;
    let next = Date.now() + period;
    let paused = false;
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      if (stopped) return;
      timer = setTimeout(tick, Math.min(Math.max(next - Date.now(), 0), MAX_TIMER_MS));
    };
    const tick = (): void => {
      if (stopped) return;
      const now = Date.now();
      if (now >= next) {
        // Skip missed periods (a blocked event loop) instead of firing a burst.
        next += Math.max(1, Math.ceil((now - next + 1) / period)) * period;
        if (!paused) onFire();
      }
      arm();
    };
    arm();
    return {
      pause: () => {
        paused = true;
      },
      resume: () => {
        paused = false;
      },
      stop: () => {
        stopped = true;
        clearTimeout(timer);
      },
      get paused() {
        return paused;
      },
      nextRun: () => (stopped ? null : new Date(next)),
    };
  }
}
