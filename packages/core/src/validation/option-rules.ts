// Numeric options of the backoff algorithms: each checked where the object is built, with a
// message naming the option, its allowed range and the value given.
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
