// Numeric options of the long-lived objects (pools, backoff algorithms): each checked where the
// object is built, with a message naming the option, its allowed range and the value given.
import { ValidationError } from "../errors/index.js";

/** Throws a {@link ValidationError} unless `value` is a finite number ≥ 0. */
export function requireNonNegative(owner: string, option: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new ValidationError(
      `${owner}: \`${option}\` must be a finite number ≥ 0 (milliseconds), got ${String(value)}.`,
    );
  }
  return value;
}

/**
 * Check that an option is an integer of at least `min`.
 * @throws ValidationError naming the option and the value.
 */
export function requireInteger(option: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new ValidationError(
      `${option} must be an integer >= ${min}, got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

/**
 * Check that an option is a finite number of at least `min` (durations in ms).
 * @throws ValidationError naming the option and the value.
 */
export function requireDuration(option: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    throw new ValidationError(`${option} must be a number of milliseconds >= ${min}, got ${JSON.stringify(value)}.`);
  }
  return value;
}
