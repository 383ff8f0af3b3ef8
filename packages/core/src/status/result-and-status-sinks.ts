import type { Backend } from "../backend/backend.js";
import type { ResultWrite, StatusWrite } from "../backend/types.js";
import type { Message } from "../messages/message.js";
import type { TaskStatus } from "./task-status.js";

/**
 * Where the lifecycle records statuses. `StatusTracker` from `@alsek/results` implements it; give
 * one to a task as its `statusTracker` option.
 */
export interface StatusSink {
  /** The backend the statuses are stored on. */
  readonly backend: Backend;
  /**
   * Record `status` for `message` (and announce it to listeners), as a guarded transition: a
   * status never moves backwards (see `statusRank`).
   */
  set(message: Message, status: TaskStatus, details?: unknown): Promise<unknown>;
  /**
   * Shape the stored form of `status` for `message`, for the backend to write in the same atomic
   * step as a message write: SUBMITTED with the submit (before any pool can claim the message),
   * SUBMITTED again with a pool's hand-back. A sink without it gets `set` after those writes
   * instead, which a fast pool can overtake.
   */
  prepare?(message: Message, status: TaskStatus, details?: unknown): StatusWrite;
}

/**
 * Where the lifecycle stores results. `ResultStore` from `@alsek/results` implements it; give one
 * to a task as its `resultStore` option. The backend writes the prepared result atomically with the
 * message's acknowledgement.
 */
export interface ResultSink {
  /** The backend the results are stored on. */
  readonly backend: Backend;
  /** Shape the stored form of `result` for `message`. */
  prepare(message: Message, result: unknown): ResultWrite;
}
