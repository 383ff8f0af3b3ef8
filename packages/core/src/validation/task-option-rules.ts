// The rules of the numbers a task and its messages are given: checked once where they enter (the
// task's definition, `generate()`), so that no message is ever built from an option that would
// make it misbehave later (a negative retry count, a timeout a timer cannot wait for).
import { ValidationError } from "../errors/index.js";
import { describeGot, MAX_PRIORITY, MAX_TIMER_MS, requireFiniteAtLeast, requireIntegerIn } from "./numeric-rules.js";

/**
 * The name a task is registered under: the `name` option, else the function's name.
 * @throws ValidationError saying the `name` option is empty, or that an anonymous function needs one.
 */
export function requireTaskNameGiven(name: unknown, functionName: string): string {
  if (name !== undefined) {
    if (name === "") {
      throw new ValidationError(
        "Task: the `name` option is an empty string: give the task a name of 1-200 letters, digits, " +
          "'_', '-' or '.' (or leave the option out to use the function's name).",
      );
    }
    return name as string;
  }
  if (!functionName) {
    throw new ValidationError("Task: anonymous functions need a `name` option (the task's name in messages).");
  }
  return functionName;
}

/** A task's or message's timeout: integer ms from 1 to {@link MAX_TIMER_MS}. @throws ValidationError */
export function requireTimeout(owner: string, option: string, value: unknown): number {
  return requireIntegerIn(owner, option, value, 1, MAX_TIMER_MS, " number of ms");
}

/** `maxRetries`: `null` (unlimited) or an integer ≥ 0. @throws ValidationError */
export function requireMaxRetries(owner: string, value: unknown): number | null {
  if (value === null) return null;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new ValidationError(
      `${owner}: \`maxRetries\` must be an integer ≥ 0 (0: never retry) or null (unlimited), ${describeGot(value)}.`,
    );
  }
  return value;
}

/** A message priority: integer from 0 to {@link MAX_PRIORITY}; lower runs first. @throws ValidationError */
export function requirePriority(owner: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > MAX_PRIORITY) {
    throw new ValidationError(
      `${owner}: \`priority\` must be an integer from 0 to ${MAX_PRIORITY} (lower runs first; the ` +
        `Redis score layout priority * 2^32 + seq needs it to fit), ${describeGot(value)}.`,
    );
  }
  return value;
}

/** A message delay: finite ms ≥ 0. @throws ValidationError */
export function requireDelay(owner: string, value: unknown): number {
  return requireFiniteAtLeast(owner, "delay", value, 0, " of ms");
}

/** A result ttl: `null` (kept until read) or integer ms ≥ 1. @throws ValidationError */
export function requireResultTtl(owner: string, value: unknown): number | null {
  if (value === null) return null;
  return requireIntegerIn(owner, "resultTtl", value, 1, Number.MAX_SAFE_INTEGER, " number of ms");
}

/**
 * The persisted settings of a backoff: every parameter a finite number ≥ 0, a boolean or `null`.
 * @throws ValidationError naming the parameter.
 */
export function requireBackoffSettings(owner: string, settings: unknown): void {
  if (typeof settings !== "object" || settings === null) {
    throw new ValidationError(`${owner}: \`backoff\` must be a Backoff (or null for none), ${describeGot(settings)}.`);
  }
  const { algorithm, parameters } = settings as { algorithm?: unknown; parameters?: unknown };
  if (typeof algorithm !== "string" || algorithm === "") {
    throw new ValidationError(`${owner}: the backoff's \`algorithm\` must be a non-empty string, ${describeGot(algorithm)}.`);
  }
  if (typeof parameters !== "object" || parameters === null || Array.isArray(parameters)) {
    throw new ValidationError(`${owner}: the backoff's \`parameters\` must be an object, ${describeGot(parameters)}.`);
  }
  for (const [key, value] of Object.entries(parameters)) {
    if (value === null || typeof value === "boolean") continue;
    requireFiniteAtLeast(owner, `backoff.${key}`, value, 0);
  }
}

/** A trigger task's `scheduling`: `"shared"` or `"process"`. @throws ValidationError */
export function requireTriggerScheduling(owner: string, value: unknown): "shared" | "process" {
  if (value !== "shared" && value !== "process") {
    throw new ValidationError(
      `${owner}: \`scheduling\` must be "shared" (one schedule in the backend, each slot fired once by all ` +
        `processes) or "process" (a timer in each process), ${describeGot(value)}.`,
    );
  }
  return value;
}
