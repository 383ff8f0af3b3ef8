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

/**
 * When a trigger task submits messages. Defining a trigger starts nothing: timers start with
 * `start()`, which `TriggerTask.generate()` calls.
 */
export interface Trigger {
  /** Human-readable description, for logs. */
  readonly description: string;
  /** Call `onFire` on every tick until the returned schedule is stopped. */
  start(onFire: () => void): TriggerSchedule;
}
