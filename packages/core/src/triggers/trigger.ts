/** A running schedule, returned by {@link Trigger.start}. */
export interface TriggerSchedule {
  /** Skip fires until {@link resume}. */
  pause(): void;
  /** Fire again after {@link pause}. */
  resume(): void;
  /** Stop for good. */
  stop(): void;
  /** Whether the schedule is paused. */
  readonly paused: boolean;
  /** When it fires next, or `null` when it never will. */
  nextRun(): Date | null;
}

import type { TriggerSpec } from "./trigger-spec.js";

/**
 * When a trigger task submits messages. Defining a trigger starts nothing: timers start with
 * `start()`, which `TriggerTask.generate()` calls.
 */
export interface Trigger {
  /** Human-readable description, for logs. */
  readonly description: string;
  /**
   * The trigger as data, for schedules stored in the backend (shared by every process that defines
   * the task). A trigger without one runs in each process (`scheduling: "process"`).
   */
  readonly spec?: TriggerSpec;
  /** Call `onFire` on every tick until the returned schedule is stopped. */
  start(onFire: () => void): TriggerSchedule;
}
