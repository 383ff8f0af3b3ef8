// The read side the dashboard needs. It mirrors `QueueInspector` of @alsek/results (the agreed
// shape); the dashboard takes any object of this shape so tests can wrap the real one.
import type { MessageData } from "@alsek/core";
import type { StatusUpdate } from "@alsek/results";

/** States a message can be listed in. */
export type MessageState = "ready" | "delayed" | "active" | "dead";

/** One queue with its counts. */
export interface QueueSummary {
  queue: string;
  counts: { ready: number; delayed: number; active: number; deadLettered: number };
  oldestReadyAgeMs: number | null;
  paused: boolean;
}

/** One message in a listing. */
export interface MessageSummary {
  queue: string;
  uuid: string;
  taskName: string;
  state: MessageState;
  priority: number;
  createdAt: number;
  readyAt: number;
  retries: number;
  maxRetries: number;
  leaseExpiresAt: number | null;
}

/** One message in full. */
export interface MessageDetail extends MessageSummary {
  data: MessageData;
  status: StatusUpdate | null;
  result: { present: false } | { present: true; value: unknown };
  [extra: string]: unknown;
}

/** Options of a message listing. */
export interface ListMessagesOptions {
  state: MessageState;
  order?: "oldest" | "newest";
  cursor?: string | null;
  limit?: number;
  taskName?: string;
}

/** The inspection calls the dashboard makes. */
export interface Inspector {
  listQueues(): Promise<QueueSummary[]>;
  listMessages(queue: string, options: ListMessagesOptions): Promise<{ items: MessageSummary[]; nextCursor: string | null }>;
  getMessage(queue: string, uuid: string): Promise<MessageDetail | null>;
  redrive(queue: string, uuid: string): Promise<boolean>;
  redriveDeadLetters(queue: string, filter?: { taskName?: string }): Promise<number>;
  deleteDeadLetter(queue: string, uuid: string): Promise<boolean>;
  deleteDeadLetters(queue: string, filter?: { taskName?: string }): Promise<number>;
  revoke(queue: string, uuid: string): Promise<unknown>;
  retryNow(queue: string, uuid: string): Promise<unknown>;
  remove(queue: string, uuid: string): Promise<unknown>;
  purge(queue: string, options: { confirm: string }): Promise<number>;
  throughput(queue: string, options?: { minutes?: number }): Promise<{ minute: number; completed: number; failed: number }[]>;
}
