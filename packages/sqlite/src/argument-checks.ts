import {
  requireMessageData,
  TERMINAL_STATUS_RANK,
  ValidationError,
  validateQueueName,
  type QueuedMessage,
  type StatusWrite,
} from "@alsek/core";

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

/** @throws ValidationError unless `value` is epoch ms (a number, not NaN). */
export function checkTimestamp(what: string, value: unknown): void {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new ValidationError(`${what} must be epoch milliseconds, got ${String(value)}.`);
  }
}

/** @throws ValidationError unless a status write is well formed. */
export function checkStatus(write: StatusWrite): void {
  if (typeof write.key !== "string" || write.key === "") {
    throw new ValidationError(`A status key must be a non-empty string, got ${JSON.stringify(write.key)}.`);
  }
  if (!Number.isSafeInteger(write.rank) || write.rank < 0 || write.rank > TERMINAL_STATUS_RANK) {
    throw new ValidationError(`A status rank must be an integer from 0 to ${TERMINAL_STATUS_RANK} (statusRank()), got ${String(write.rank)}.`);
  }
  checkTtl("status ttlMs", write.ttlMs);
  if (write.channel !== null && (typeof write.channel !== "string" || write.channel === "")) {
    throw new ValidationError(`A status channel must be a non-empty string or null, got ${JSON.stringify(write.channel)}.`);
  }
}

/** @throws ValidationError unless a queued message is well formed. */
export function checkQueued(message: QueuedMessage): void {
  validateQueueName(message.queue);
  if (typeof message.uuid !== "string" || message.uuid === "") {
    throw new ValidationError(`A message uuid must be a non-empty string, got ${JSON.stringify(message.uuid)}.`);
  }
  if (typeof message.priority !== "number" || !Number.isFinite(message.priority)) {
    throw new ValidationError(
      `The priority of message ${message.uuid} must be a finite number, got ${String(message.priority)}.`,
    );
  }
  checkTimestamp(`readyAt of message ${message.uuid}`, message.readyAt);
  requireMessageData(message, message.data);
}
