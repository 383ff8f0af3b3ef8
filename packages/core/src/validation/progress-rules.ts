import { ValidationError } from "../errors/index.js";
import type { Lease, ProgressWrite } from "../backend/types.js";
import type { ProgressValue } from "../progress/progress-update.js";
import { requirePositiveMs, requireText } from "./argument-checks.js";

/** Largest progress object, as UTF-8 JSON text, in bytes. */
export const MAX_PROGRESS_BYTES = 1_024;

/** The JSON problem of `value` at `path`, or `null` when it is plain JSON data. */
function jsonProblem(value: unknown, path: string): string | null {
  if (value === null || typeof value === "string" || typeof value === "boolean") return null;
  if (typeof value === "number") return Number.isFinite(value) ? null : `${path} is ${String(value)}`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = jsonProblem(value[i], `${path}[${i}]`);
      if (problem) return problem;
    }
    return null;
  }
  if (typeof value === "object") {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return `${path} is a ${value.constructor?.name ?? "class"} instance`;
    for (const [key, item] of Object.entries(value)) {
      const problem = jsonProblem(item, `${path}.${key}`);
      if (problem) return problem;
    }
    return null;
  }
  return `${path} is a ${typeof value}`;
}

/**
 * The progress a running task reports: a number from 0 to 100, or a plain JSON object of at most
 * {@link MAX_PROGRESS_BYTES} bytes.
 * @throws ValidationError naming what is wrong.
 */
export function requireProgressValue(value: unknown): ProgressValue {
  if (typeof value === "number") {
    if (!(Number.isFinite(value) && value >= 0 && value <= 100)) {
      throw new ValidationError(`progress(): a number must be from 0 to 100, got ${String(value)}.`);
    }
    return value;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ValidationError(
      `progress(): give a number from 0 to 100 or a plain JSON object, got ${Array.isArray(value) ? "an array" : String(value)}.`,
    );
  }
  const problem = jsonProblem(value, "progress");
  if (problem) throw new ValidationError(`progress(): the object must be plain JSON data, but ${problem}.`);
  const bytes = Buffer.byteLength(JSON.stringify(value), "utf8");
  if (bytes > MAX_PROGRESS_BYTES) {
    throw new ValidationError(
      `progress(): the object is ${bytes} bytes of JSON, more than the ${MAX_PROGRESS_BYTES} allowed; report a summary (counts, a stage name), not data.`,
    );
  }
  return value as ProgressValue;
}

/**
 * The argument rule of `Backend.setProgress`, shared by every backend.
 * @throws ValidationError for a lease without a token, an empty key or channel, or a ttl that is not positive.
 */
export function requireProgressWrite(lease: Lease, write: ProgressWrite): ProgressWrite {
  requireText("setProgress lease token", lease.token);
  requireText("progress key", write.key);
  requireText("progress channel", write.channel);
  if (write.ttlMs !== null) requirePositiveMs("progress ttlMs", write.ttlMs);
  if (!Number.isSafeInteger(write.attempt) || write.attempt < 0) {
    throw new ValidationError(`The progress attempt must be an integer ≥ 0, got ${String(write.attempt)}.`);
  }
  return write;
}
