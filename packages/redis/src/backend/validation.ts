// The argument rules the Redis backend applies, all defined in @alsek/core's validation (one home
// for every backend), under the names this package's modules use; plus the one conversion to a
// script argument that is Redis's own.
import { requireTtlOrNull, ValidationError } from "@alsek/core";

export {
  MAX_PRIORITY,
  requireFiniteTimestamp as validateTimestamp,
  requirePositiveDuration as validatePositiveMs,
  validateMessageRef as validateRef,
  validateMessageUuid as validateUuid,
  validatePriority,
} from "@alsek/core";

/**
 * A ttl as a script argument: `null`/`undefined` ("no expiry") is 0 in the scripts. A ttl of 0 or
 * below is refused (core's `requireTtlOrNull`, the rule of every backend) rather than read as "no
 * expiry". @throws ValidationError naming `what`
 */
export function ttlArgument(what: string, ttlMs: number | null | undefined): number {
  requireTtlOrNull(what, ttlMs);
  return ttlMs === null || ttlMs === undefined ? 0 : Math.ceil(ttlMs);
}

/** How long a dead letter is kept, as a script argument: `null` or 0 means it is not kept (0). */
export function deadLetterTtlArgument(ttlMs: number | null): number {
  if (ttlMs === null) return 0;
  if (!Number.isFinite(ttlMs)) throw new ValidationError(`Invalid dead-letter ttl ${String(ttlMs)}: use milliseconds or null.`);
  return ttlMs > 0 ? Math.ceil(ttlMs) : 0;
}
