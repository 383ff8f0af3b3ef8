import { Cron } from "croner";
import { ValidationError } from "../errors/index.js";
import { cronSchedule } from "./cron-trigger.js";
import type { Trigger, TriggerSchedule } from "./trigger.js";
import type { TriggerSpec } from "./trigger-spec.js";

/** Fires once, at a date. A date already past when the schedule starts never fires. */
export class DateTrigger implements Trigger {
  /** When it fires. */
  readonly date: Date;

  constructor(date: Date | string | number) {
    const parsed = new Date(date);
    if (Number.isNaN(parsed.getTime())) {
      throw new ValidationError(`DateTrigger: invalid date ${JSON.stringify(date)}; pass a Date, an ISO string or epoch ms.`);
    }
    this.date = parsed;
  }

  get description(): string {
    return `date ${this.date.toISOString()}`;
  }

  get spec(): TriggerSpec {
    return { kind: "date", at: this.date.getTime() };
  }

  start(onFire: () => void): TriggerSchedule {
    return cronSchedule(new Cron(this.date, { maxRuns: 1 }, () => onFire()));
  }
}
