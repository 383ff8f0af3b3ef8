/** How a task runs inside a worker pool: on a worker thread or in a dedicated process. */
export type Mechanism = "process" | "thread";

/** The mechanisms a task may use. */
export const SUPPORTED_MECHANISMS: readonly Mechanism[] = ["process", "thread"];

/** A failure recorded on a message: the error's name, its text and its stack. */
export interface ExceptionDetails {
  /** The error class name, e.g. `"TypeError"` or `"RevokedError"`. */
  name: string;
  /** The error message. */
  text: string | null;
  /** The stack trace, when one was available. */
  traceback: string | null;
}

/** The persisted settings of a backoff algorithm; `backoffFromSettings` rebuilds it. */
export interface BackoffSettings {
  /** Class name: `"ConstantBackoff"`, `"LinearBackoff"` or `"ExponentialBackoff"`. */
  algorithm: string;
  /** Constructor parameters, floor/ceiling/zeroOverride included. */
  parameters: Record<string, number | boolean | null>;
}

/** A user lock linked to a message, released when the broker acks, retries or fails it. */
export interface LinkedLock {
  name: string;
  ownerId: string;
}

/**
 * Everything about a message that is persisted. `new Message(data).data` deep-equals `data`.
 * Durations are milliseconds; timestamps are epoch milliseconds (UTC by definition).
 */
export interface MessageData {
  taskName: string;
  queue: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  priority: number;
  metadata: Record<string, unknown> | null;
  exceptionDetails: ExceptionDetails | null;
  resultTtl: number | null;
  uuid: string;
  progenitorUuid: string | null;
  retries: number;
  timeout: number;
  createdAt: number;
  updatedAt: number;
  delay: number;
  previousResult: unknown;
  previousMessageUuid: string | null;
  callbackMessageData: MessageData | null;
  backoffSettings: BackoffSettings;
  mechanism: Mechanism;
  linkedLock: LinkedLock | null;
}
