import { ValidationError } from "@alsek/core";

/** An option in ms that must be positive, or its default when omitted. @throws ValidationError */
export function positiveOption(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new ValidationError(
      `SqliteBackend option ${name} must be a positive number of ms, got ${String(value)}.`,
    );
  }
  return value;
}

/** A ttl in ms that must be positive, or `null`/omitted for none. @throws ValidationError */
export function checkTtl(what: string, ttlMs: number | null | undefined): void {
  if (ttlMs === null || ttlMs === undefined) return;
  if (typeof ttlMs !== "number" || !Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new ValidationError(
      `${what} must be a positive number of ms or null (no expiry), got ${String(ttlMs)}.`,
    );
  }
}
