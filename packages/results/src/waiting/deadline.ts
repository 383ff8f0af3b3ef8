import { ValidationError } from "@alsek/core";

/**
 * Turn a user's `timeout` (ms; `null` or `Infinity` to wait forever) into an absolute deadline.
 * @internal
 */
export function deadlineFrom(timeout: number | null, option: string): number {
  if (timeout === null || timeout === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  if (typeof timeout !== "number" || Number.isNaN(timeout) || timeout < 0) {
    throw new ValidationError(
      `Invalid ${option} ${String(timeout)}: give a number of milliseconds ≥ 0, or null to wait forever.`,
    );
  }
  return Date.now() + timeout;
}
