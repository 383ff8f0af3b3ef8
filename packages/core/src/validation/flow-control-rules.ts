import { MAX_RATE_LIMIT_DURATION_MS, MAX_RATE_LIMIT_MAX, type RateLimit } from "../backend/flow-control.js";
import { ValidationError } from "../errors/index.js";
import { describeGot, requireIntegerIn } from "./numeric-rules.js";

/**
 * A rate limit as given by a user (broker, backend or task option): `{ max, durationMs }`, both
 * integers. Returns a copy holding only those two fields.
 * @throws ValidationError naming `owner`, the field, the allowed range and the value.
 */
export function requireRateLimit(owner: string, value: unknown): RateLimit {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ValidationError(`${owner}: a rate limit must be an object { max, durationMs }, ${describeGot(value)}.`);
  }
  const { max, durationMs } = value as Partial<RateLimit>;
  return {
    max: requireIntegerIn(owner, "rateLimit.max", max, 1, MAX_RATE_LIMIT_MAX),
    durationMs: requireIntegerIn(owner, "rateLimit.durationMs", durationMs, 1, MAX_RATE_LIMIT_DURATION_MS, " of ms"),
  };
}
