import { ValidationError } from "../errors/index.js";

const NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}$/;

function validateName(kind: string, name: unknown): string {
  if (typeof name !== "string" || !NAME_PATTERN.test(name)) {
    throw new ValidationError(
      `Invalid ${kind} name ${JSON.stringify(name)}: use 1-200 characters from letters, digits, ` +
        "'_', '-' and '.', starting with a letter, digit or '_'.",
    );
  }
  return name;
}

/**
 * Check a queue name. Names are matched exactly everywhere, and the allowed characters keep them
 * safe inside Redis keys, hash tags and glob patterns.
 * @throws ValidationError naming the bad value.
 */
export function validateQueueName(name: unknown): string {
  return validateName("queue", name);
}

/** Check a task name (same rules as queue names). @throws ValidationError */
export function validateTaskName(name: unknown): string {
  return validateName("task", name);
}
