// Turns what a backend lists into what an inspector caller reads: the summary fields a listing
// shows, without the payload.
import { Message, type StoredMessage } from "@alsek/core";
import type { MessageSummary } from "./inspection-types.js";

/** The summary of a listed message. */
export function summarize(listed: StoredMessage): MessageSummary {
  const { data, state, dueAt } = listed;
  return {
    queue: data.queue,
    uuid: data.uuid,
    taskName: data.taskName,
    state,
    priority: data.priority,
    createdAt: data.createdAt,
    readyAt: state === "delayed" && dueAt !== null ? dueAt : readyAtOf(listed),
    retries: data.retries,
    leaseExpiresAt: state === "active" ? dueAt : null,
    deadLetterExpiresAt: state === "dead" ? dueAt : null,
    errorName: data.exceptionDetails?.name ?? null,
  };
}

// `createdAt + delay + backoff(retries)`, as the producer computed it; data a newer or foreign
// writer stored with unknown backoff settings falls back to `createdAt + delay`.
function readyAtOf(listed: StoredMessage): number {
  try {
    return new Message(listed.data).readyAt;
  } catch {
    return listed.data.createdAt + (listed.data.delay ?? 0);
  }
}
