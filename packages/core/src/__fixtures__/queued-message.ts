import type { QueuedMessage } from "../backend/types.js";
import { Message } from "../messages/message.js";
import type { MessageData } from "../messages/message-data.js";

/** A message ready to submit to `queue`, built the way a Broker builds one (for MemoryBackend's own tests). */
export function queuedMessage(queue: string, options: { priority?: number; data?: Partial<MessageData> } = {}): QueuedMessage {
  const queued = new Message({ taskName: "memory_test_task", queue }).toQueued();
  const priority = options.priority ?? queued.priority;
  return { ...queued, priority, data: { ...queued.data, ...options.data, priority } };
}
