// The argument rules the Redis backend applies, all defined in @alsek/core's validation (one home
// for every backend), under the names this package's modules use; plus the one conversion to a
// script argument that is Redis's own.
import { ValidationError } from "@alsek/core";

export {
  MAX_PRIORITY,
  requireFiniteTimestamp as validateTimestamp,
  requirePositiveDuration as validatePositiveMs,
  validateMessageRef as validateRef,
  validateMessageUuid as validateUuid,
  validatePriority,
} from "@alsek/core";

/** `null`, `undefined` or a non-positive ttl mean "no expiry": 0 in the scripts. */
export function ttlArgument(ttlMs: number | null | undefined): number {
  if (ttlMs === null || ttlMs === undefined) return 0;
  if (!Number.isFinite(ttlMs)) throw new ValidationError(`Invalid ttl ${String(ttlMs)}: use milliseconds or null.`);
  return ttlMs > 0 ? Math.ceil(ttlMs) : 0;
}
