import { Cron } from "croner";
import { ValidationError } from "../errors/index.js";
import type { Trigger, TriggerSchedule } from "./trigger.js";
import type { TriggerSpec } from "./trigger-spec.js";

/** Options of {@link CronTrigger}. */
export interface CronTriggerOptions {
  /**
   * IANA time zone the pattern is read in, e.g. `"Europe/Oslo"`.
   * @defaultValue the process's local time zone
   */
  timezone?: string;
  /** No fire before this date. */
  startAt?: Date;
  /** No fire at or after this date. */
  stopAt?: Date;
  /**
   * Stop after this many fires.
   * @defaultValue Infinity
   */
  maxRuns?: number;
}

/** Wraps a croner job as a {@link TriggerSchedule}. */
export function cronSchedule(job: Cron): TriggerSchedule {
  let paused = false;
  return {
    pause: () => {
      paused = true;
      job.pause();
    },
    resume: () => {
      paused = false;
      job.resume();
    },
    stop: () => job.stop(),
    get paused() {
      return paused;
    },
    nextRun: () => job.nextRun(),
  };
}

/**
 * Fires on a cron pattern (5 fields, or 6 with seconds first), e.g. `new CronTrigger("*\/5 * * * *")`.
 * @throws ValidationError for an invalid pattern.
 */
export class CronTrigger implements Trigger {
  /** The cron pattern. */
  readonly pattern: string;
  /** The options given. */
  readonly options: Readonly<CronTriggerOptions>;

  constructor(pattern: string, options: CronTriggerOptions = {}) {
    try {
      new Cron(pattern, { ...options, paused: true }).stop();
    } catch (error) {
      throw new ValidationError(
        `Invalid cron pattern ${JSON.stringify(pattern)}: ${(error as Error).message}. ` +
          'Use 5 fields ("min hour day month weekday") or 6 with seconds first.',
        { cause: error },
      );
    }
    this.pattern = pattern;
    this.options = { ...options };
  }

  get description(): string {
    return `cron '${this.pattern}'`;
  }

  /** The pattern with its time zone resolved (the process's own when none was given). */
  get spec(): TriggerSpec {
    const { timezone, startAt, stopAt, maxRuns } = this.options;
    return {
      kind: "cron",
      pattern: this.pattern,
      timezone: timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
      startAt: startAt === undefined ? null : new Date(startAt).getTime(),
      stopAt: stopAt === undefined ? null : new Date(stopAt).getTime(),
      maxRuns: maxRuns === undefined || maxRuns === Number.POSITIVE_INFINITY ? null : maxRuns,
    };
  }

  start(onFire: () => void): TriggerSchedule {
    return cronSchedule(new Cron(this.pattern, { ...this.options }, () => onFire()));
  }
}
