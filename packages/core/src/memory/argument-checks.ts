import type { MessageRef } from "../backend/types.js";
import { ValidationError } from "../errors/index.js";
import type { MessageData } from "../messages/message-data.js";

/** @throws ValidationError unless `value` is a non-empty string. */
export function requireText(what: string, value: unknown): string {
  if (typeof value !== "string" || value === "") {
    throw new ValidationError(`The ${what} must be a non-empty string, got ${JSON.stringify(value)}.`);
  }
  return value;
}

/** @throws ValidationError unless `value` is a positive number of milliseconds. */
export function requireDuration(what: string, value: unknown): void {
  if (typeof value !== "number" || !(value > 0)) {
    throw new ValidationError(`${what} must be a positive number of milliseconds, got ${String(value)}.`);
  }
}

/** @throws ValidationError unless `value` is epoch milliseconds (any number but NaN). */
export function requireTimestamp(what: string, value: unknown): void {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new ValidationError(`${what} must be epoch milliseconds, got ${String(value)}.`);
  }
}

/** @throws ValidationError when `data` belongs to another message than `ref`. */
export function requireMatchingData(ref: MessageRef, data: MessageData): void {
  if (data === null || typeof data !== "object" || data.uuid !== ref.uuid || data.queue !== ref.queue) {
    throw new ValidationError(
      `The data given for message ${ref.uuid} in queue ${ref.queue} belongs to another message ` +
        "(its uuid or queue differs): pass the data of the message you target.",
    );
  }
}
