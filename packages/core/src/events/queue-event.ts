import type { ExceptionDetails } from "../messages/message-data.js";
import type { ProgressUpdate } from "../progress/progress-update.js";

/**
 * What happened to a message, as a queue's event stream records it. `started`: claimed under a
 * lease (BullMQ's `active`); `stalled`: its lease expired and a claim put it back in line (the
 * holder died or stalled); `released`: handed back unstarted (a pool stopping); `removed`: taken
 * out of its queue without running (an operator's or a producer's removal).
 */
export type QueueEventType =
  | "submitted"
  | "started"
  | "progress"
  | "stalled"
  | "released"
  | "retried"
  | "succeeded"
  | "failed"
  | "dead-lettered"
  | "revoked"
  | "removed";

/** Every {@link QueueEventType}, in the order a message's life usually goes. */
export const QUEUE_EVENT_TYPES: readonly QueueEventType[] = [
  "submitted",
  "started",
  "progress",
  "stalled",
  "released",
  "retried",
  "succeeded",
  "failed",
  "dead-lettered",
  "revoked",
  "removed",
];

/** The error of a `retried`, `failed`, `dead-lettered` or `revoked` event, in short. */
export interface QueueEventError {
  /** The error's name (`"TypeError"`, `"TaskTimeoutError"`, `"RevokedError"`...). */
  name: string;
  /** Its message, cut to {@link MAX_EVENT_ERROR_TEXT} characters. */
  message: string;
}

/** Longest error message an event carries, in characters. */
export const MAX_EVENT_ERROR_TEXT = 500;

/**
 * One entry of a queue's event stream, written by the backend in the same atomic step as the
 * state change it records (see `Backend.readEvents`).
 */
export interface QueueEvent {
  /**
   * Position in the queue's stream: opaque, increasing. Give the last one seen to
   * `Backend.readEvents` (or `QueueEvents`' `from`) to resume after it.
   */
  id: string;
  /** What happened. */
  type: QueueEventType;
  /** The message's queue. */
  queue: string;
  /** The message's uuid. */
  uuid: string;
  /** The attempt the event belongs to (`retries` of the message then; a `retried` event: the attempt that comes next). */
  attempt: number;
  /** When it happened, epoch ms on the backend's clock. */
  at: number;
  /** The error, for `retried`, `failed`, `dead-lettered` and `revoked`; else `null`. */
  error: QueueEventError | null;
  /** When the message runs again, epoch ms, for `retried`; else `null`. */
  readyAt: number | null;
  /** The reported progress, for `progress`; else `null`. */
  progress: ProgressUpdate | null;
}

/** The short error of an event from a message's exception details (`null` when none). */
export function eventErrorOf(details: ExceptionDetails | null | undefined): QueueEventError | null {
  if (!details) return null;
  return { name: String(details.name), message: String(details.text ?? "").slice(0, MAX_EVENT_ERROR_TEXT) };
}

/** The event `fail` records: `revoked` for a message failed by a revocation, else `failed`. */
export function failEventType(details: ExceptionDetails | null | undefined): "failed" | "revoked" {
  return details?.name === "RevokedError" ? "revoked" : "failed";
}
