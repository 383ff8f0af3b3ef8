// The argument rules of the schedule calls of the Backend contract (defineSchedule, fireSchedule,
// getSchedule, listSchedules, pauseSchedule, deleteSchedule), shared by every backend so that all
// refuse the same input with the same text.
import { validateQueueName, validateTaskName } from "./name-rules.js";
import type { ScheduleDefinition, ScheduleFire, ScheduleRef } from "../backend/schedule-types.js";
import { ValidationError } from "../errors/index.js";
import { describeGot } from "./numeric-rules.js";

/** Longest accepted `revision`. */
const MAX_REVISION_LENGTH = 200;

/** @throws ValidationError for a bad queue or task name. */
export function requireScheduleRef(ref: ScheduleRef): ScheduleRef {
  if (typeof ref !== "object" || ref === null) {
    throw new ValidationError(`A schedule is named by { queue, name }, ${describeGot(ref)}.`);
  }
  validateQueueName(ref.queue);
  validateTaskName(ref.name);
  return ref;
}

/** A slot: integer epoch ms ≥ 0. */
function requireSlot(what: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new ValidationError(`Schedule ${what} must be an integer number of epoch ms ≥ 0, ${describeGot(value)}.`);
  }
  return value;
}

function requireRevision(value: unknown): string {
  if (typeof value !== "string" || value === "" || value.length > MAX_REVISION_LENGTH) {
    throw new ValidationError(
      `Schedule revision must be a non-empty string of at most ${MAX_REVISION_LENGTH} characters, ${describeGot(value)}.`,
    );
  }
  return value;
}

function requireScheduleMessage(ref: ScheduleRef, message: unknown): void {
  const queue = (message as { queue?: unknown } | null)?.queue;
  if (queue !== ref.queue) {
    throw new ValidationError(
      `The message of schedule '${ref.name}' must be in the schedule's queue '${ref.queue}', ${describeGot(queue)}.`,
    );
  }
}

/** @throws ValidationError for a bad name, trigger, definition, revision, first slot or message. */
export function requireScheduleDefinition(definition: ScheduleDefinition): ScheduleDefinition {
  requireScheduleRef(definition);
  for (const field of ["trigger", "definition"] as const) {
    if (typeof definition[field] !== "string" || definition[field] === "") {
      throw new ValidationError(`Schedule ${field} must be a non-empty string, ${describeGot(definition[field])}.`);
    }
  }
  requireRevision(definition.revision);
  if (definition.nextAt !== null) requireSlot("nextAt", definition.nextAt);
  if (typeof definition.paused !== "boolean") {
    throw new ValidationError(`Schedule paused must be a boolean, ${describeGot(definition.paused)}.`);
  }
  requireScheduleMessage(definition, definition.message);
  return definition;
}

/** @throws ValidationError for a bad name, revision, slot, next slot or message. */
export function requireScheduleFire(fire: ScheduleFire): ScheduleFire {
  requireScheduleRef(fire);
  requireRevision(fire.revision);
  requireSlot("slot", fire.slot);
  if (fire.nextAt !== null) {
    requireSlot("nextAt", fire.nextAt);
    if (fire.nextAt <= fire.slot) {
      throw new ValidationError(`Schedule nextAt (${fire.nextAt}) must be after the slot it follows (${fire.slot}).`);
    }
  }
  requireScheduleMessage(fire, fire.message);
  return fire;
}
