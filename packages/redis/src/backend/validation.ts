import { MAX_PRIORITY, ValidationError, validateQueueName } from "@alsek/core";

export { MAX_PRIORITY };

export function validateUuid(uuid: unknown): string {
  if (typeof uuid !== "string" || uuid.length === 0 || uuid.length > 200 || /\s/.test(uuid)) {
    throw new ValidationError(`Invalid message uuid ${JSON.stringify(uuid)}: use 1-200 characters without spaces.`);
  }
  return uuid;
}

export function validateRef(ref: { queue: string; uuid: string }): void {
  validateQueueName(ref.queue);
  validateUuid(ref.uuid);
}

export function validatePriority(priority: number): number {
  if (!Number.isInteger(priority) || priority < 0 || priority > MAX_PRIORITY) {
    throw new ValidationError(`Invalid priority ${String(priority)}: use an integer from 0 to ${MAX_PRIORITY}.`);
  }
  return priority;
}

export function validateTimestamp(name: string, value: number): number {
  if (!Number.isFinite(value)) {
    throw new ValidationError(`Invalid ${name} ${String(value)}: use epoch milliseconds.`);
  }
  return Math.round(value);
}

export function validatePositiveMs(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new ValidationError(`Invalid ${name} ${String(value)}: use a positive number of milliseconds.`);
  }
  return Math.ceil(value);
}

/** `null`, `undefined` or a non-positive ttl mean "no expiry": 0 in the scripts. */
export function ttlArgument(ttlMs: number | null | undefined): number {
  if (ttlMs === null || ttlMs === undefined) return 0;
  if (!Number.isFinite(ttlMs)) throw new ValidationError(`Invalid ttl ${String(ttlMs)}: use milliseconds or null.`);
  return ttlMs > 0 ? Math.ceil(ttlMs) : 0;
}
