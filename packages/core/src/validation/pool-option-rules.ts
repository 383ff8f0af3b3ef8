import { ValidationError } from "../errors/index.js";

/**
 * A pool option that must be an integer of at least `min` (counts: threads, processes, prefetch).
 * @throws ValidationError `"<option> must be an integer >= <min>, got …"`.
 */
export function requireInteger(option: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new ValidationError(`${option} must be an integer >= ${min}, got ${JSON.stringify(value)}.`);
  }
  return value;
}

/**
 * A pool option that must be a finite number of milliseconds of at least `min`.
 * @throws ValidationError `"<option> must be a number of milliseconds >= <min>, got …"`.
 */
export function requireDuration(option: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    throw new ValidationError(`${option} must be a number of milliseconds >= ${min}, got ${JSON.stringify(value)}.`);
  }
  return value;
}
