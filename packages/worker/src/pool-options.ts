import { availableParallelism } from "node:os";
import { ValidationError } from "@alsek/core";

/** Default number of worker processes: one per CPU, leaving one for the main process; at least 1. */
export function defaultProcessCount(): number {
  return Math.max(1, availableParallelism() - 1);
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
