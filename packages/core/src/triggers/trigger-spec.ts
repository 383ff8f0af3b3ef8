import { Cron } from "croner";
import { SchedulingError } from "../errors/index.js";

/**
 * A trigger as data: what a stored schedule keeps, so that every process computes the same slots
 * (`CronTrigger`, `IntervalTrigger` and `DateTrigger` give theirs as `Trigger.spec`).
 */
export type TriggerSpec =
  /** Every `intervalMs`, on a grid from the schedule's first slot. */
  | { kind: "interval"; intervalMs: number }
  /** A cron pattern read in `timezone` (an IANA name, resolved when the trigger was made). */
  | {
      kind: "cron";
      pattern: string;
      timezone: string;
      /** Epoch ms of `startAt`, or `null`. */
      startAt: number | null;
      /** Epoch ms of `stopAt`, or `null`. */
      stopAt: number | null;
      /** `null`: unlimited. */
      maxRuns: number | null;
    }
  /** Once, at epoch ms `at`. */
  | { kind: "date"; at: number };

function cronOf(spec: Extract<TriggerSpec, { kind: "cron" }>): Cron {
  return new Cron(spec.pattern, {
    paused: true,
    timezone: spec.timezone,
    ...(spec.startAt === null ? {} : { startAt: new Date(spec.startAt).toISOString() }),
    ...(spec.stopAt === null ? {} : { stopAt: new Date(spec.stopAt).toISOString() }),
  });
}

/** The first slot of a schedule defined at `now` (epoch ms), or `null` when it never fires. */
export function firstSlot(spec: TriggerSpec, now: number): number | null {
  switch (spec.kind) {
    case "interval":
      return now + spec.intervalMs;
    case "date":
      return spec.at > now ? spec.at : null;
    case "cron": {
      if (spec.maxRuns !== null && spec.maxRuns < 1) return null;
      return cronOf(spec).nextRun(new Date(now))?.getTime() ?? null;
    }
  }
}

/**
 * The slot after `slot`, once `fires` fires happened (this one included), skipping slots already
 * past at `now` (a schedule nobody fired for a while fires once, not in a burst); `null` when the
 * schedule ends.
 */
export function slotAfter(spec: TriggerSpec, slot: number, now: number, fires: number): number | null {
  switch (spec.kind) {
    case "interval": {
      const periods = Math.max(1, Math.floor((now - slot) / spec.intervalMs) + 1);
      return slot + periods * spec.intervalMs;
    }
    case "date":
      return null;
    case "cron": {
      if (spec.maxRuns !== null && fires >= spec.maxRuns) return null;
      return cronOf(spec).nextRun(new Date(Math.max(slot, now)))?.getTime() ?? null;
    }
  }
}

/**
 * A stored trigger read back.
 * @throws SchedulingError for text this version of Alsek does not know as a trigger.
 */
export function parseTriggerSpec(text: string): TriggerSpec {
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch {
    spec = null;
  }
  const kind = (spec as { kind?: unknown } | null)?.kind;
  if (kind !== "interval" && kind !== "cron" && kind !== "date") {
    throw new SchedulingError(
      `Stored trigger ${JSON.stringify(text.slice(0, 200))} is not one this version of Alsek knows ` +
        "(interval, cron or date); was the schedule defined by a newer version?",
    );
  }
  return spec as TriggerSpec;
}
