// The argument rules of the Backend calls, one definition each for every backend (Memory, SQLite,
// Redis, and third-party ones). The conformance suite (@alsek/backend-conformance) pins the ones
// users meet: namespace, priority, message data.
import { validateMessageUuid } from "./inspection-rules.js";
import { validateQueueName, validateTaskName } from "./name-rules.js";
import type { MessageRef, QueuedMessage, StatusWrite } from "../backend/types.js";
import { ValidationError } from "../errors/index.js";
import { TERMINAL_STATUS_RANK } from "../status/status-order.js";
import { requireTimestamp } from "./argument-checks.js";
import { requireMessageData } from "./message-schema.js";
import { describeGot, MAX_PRIORITY } from "./numeric-rules.js";

/**
 * A backend option in ms that must be positive, or `fallback` when omitted.
 * @throws ValidationError `"<owner> option <name> must be a positive number of ms, got …"`.
 */
export function requirePositiveOption(owner: string, name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new ValidationError(`${owner} option ${name} must be a positive number of ms, got ${String(value)}.`);
  }
  return value;
}

/** A ttl in ms that must be positive, or `null`/omitted for none. @throws ValidationError */
export function requireTtlOrNull(what: string, ttlMs: number | null | undefined): void {
  if (ttlMs === null || ttlMs === undefined) return;
  if (typeof ttlMs !== "number" || !Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new ValidationError(`${what} must be a positive number of ms or null (no expiry), got ${String(ttlMs)}.`);
  }
}

/**
 * A stored message's priority: an integer from 0 to {@link MAX_PRIORITY}, on every backend.
 * @throws ValidationError naming the value and the range.
 */
export function validatePriority(priority: unknown): number {
  if (typeof priority !== "number" || !Number.isInteger(priority) || priority < 0 || priority > MAX_PRIORITY) {
    throw new ValidationError(`Invalid priority ${String(priority)}: use an integer from 0 to ${MAX_PRIORITY}.`);
  }
  return priority;
}

/** A message reference: a valid queue name and uuid. @throws ValidationError */
export function validateMessageRef(ref: MessageRef): void {
  validateQueueName(ref.queue);
  validateMessageUuid(ref.uuid);
}

/**
 * Epoch ms that a backend stores as a number: finite, rounded to the ms.
 * @throws ValidationError `"Invalid <name> …: use epoch milliseconds."`.
 */
export function requireFiniteTimestamp(name: string, value: number): number {
  if (!Number.isFinite(value)) {
    throw new ValidationError(`Invalid ${name} ${String(value)}: use epoch milliseconds.`);
  }
  return Math.round(value);
}

/**
 * A positive duration in ms that a backend stores as a number, rounded up to the ms.
 * @throws ValidationError `"Invalid <name> …: use a positive number of milliseconds."`.
 */
export function requirePositiveDuration(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new ValidationError(`Invalid ${name} ${String(value)}: use a positive number of milliseconds.`);
  }
  return Math.ceil(value);
}

/**
 * How many messages a claim may take: an integer ≥ 1.
 * @throws ValidationError `"Invalid claim limit …: use an integer ≥ 1."`.
 */
export function validateClaimLimit(limit: unknown): number {
  if (typeof limit !== "number" || !Number.isSafeInteger(limit) || limit < 1) {
    throw new ValidationError(`Invalid claim limit ${String(limit)}: use an integer ≥ 1.`);
  }
  return limit;
}

/** Most task names one claim may skip (`ClaimRequest.skipTasks`). */
export const MAX_SKIP_TASKS = 1_000;

/**
 * The task names a claim leaves for another consumer (`ClaimRequest.skipTasks`): an array of at
 * most {@link MAX_SKIP_TASKS} task names. Returns them as a set, or `null` when there are none,
 * so that a claim without any pays nothing per message.
 * @throws ValidationError `"Invalid claim skipTasks …"` naming what was wrong.
 */
export function validateSkipTasks(skipTasks: unknown): ReadonlySet<string> | null {
  if (skipTasks === undefined) return null;
  if (!Array.isArray(skipTasks)) {
    throw new ValidationError(`Invalid claim skipTasks: use an array of task names, ${describeGot(skipTasks)}.`);
  }
  if (skipTasks.length > MAX_SKIP_TASKS) {
    throw new ValidationError(`Invalid claim skipTasks: ${skipTasks.length} names, use at most ${MAX_SKIP_TASKS}.`);
  }
  if (skipTasks.length === 0) return null;
  for (const name of skipTasks) {
    try {
      validateTaskName(name);
    } catch (error) {
      throw new ValidationError(`Invalid claim skipTasks: ${(error as Error).message}`);
    }
  }
  return new Set(skipTasks as string[]);
}

/** @throws ValidationError unless a status write has a non-empty key and a rank `statusRank()` can give. */
export function requireStatusKeyAndRank(write: StatusWrite): void {
  if (typeof write.key !== "string" || write.key === "") {
    throw new ValidationError(`A status key must be a non-empty string, got ${JSON.stringify(write.key)}.`);
  }
  if (!Number.isSafeInteger(write.rank) || write.rank < 0 || write.rank > TERMINAL_STATUS_RANK) {
    throw new ValidationError(`A status rank must be an integer from 0 to ${TERMINAL_STATUS_RANK} (statusRank()), got ${String(write.rank)}.`);
  }
}

/** @throws ValidationError unless a status write is well formed (key, rank, ttl, channel). */
export function requireStatusWrite(write: StatusWrite): void {
  requireStatusKeyAndRank(write);
  requireTtlOrNull("status ttlMs", write.ttlMs);
  if (write.channel !== null && (typeof write.channel !== "string" || write.channel === "")) {
    throw new ValidationError(`A status channel must be a non-empty string or null, got ${JSON.stringify(write.channel)}.`);
  }
}

/** @throws ValidationError unless a queued message is well formed (queue, uuid, priority, readyAt, data). */
export function requireQueuedMessage(message: QueuedMessage): void {
  validateQueueName(message.queue);
  if (typeof message.uuid !== "string" || message.uuid === "") {
    throw new ValidationError(`A message uuid must be a non-empty string, got ${JSON.stringify(message.uuid)}.`);
  }
  validatePriority(message.priority);
  requireTimestamp(`readyAt of message ${message.uuid}`, message.readyAt);
  requireMessageData(message, message.data);
}
