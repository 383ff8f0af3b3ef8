import { ValidationError } from "../errors/index.js";

/** @throws ValidationError unless `value` is a non-empty string. */
export function requireText(what: string, value: unknown): string {
  if (typeof value !== "string" || value === "") {
    throw new ValidationError(`The ${what} must be a non-empty string, got ${JSON.stringify(value)}.`);
  }
  return value;
}

/** @throws ValidationError unless `value` is a positive number of milliseconds. */
export function requirePositiveMs(what: string, value: unknown): number {
  if (typeof value !== "number" || !(value > 0)) {
    throw new ValidationError(`${what} must be a positive number of milliseconds, got ${String(value)}.`);
  }
  return value;
}

/** @throws ValidationError unless `value` is epoch milliseconds (any number but NaN). */
export function requireTimestamp(what: string, value: unknown): number {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new ValidationError(`${what} must be epoch milliseconds, got ${String(value)}.`);
  }
  return value;
}
