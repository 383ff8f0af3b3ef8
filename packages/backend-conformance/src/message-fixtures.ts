import { randomUUID } from "node:crypto";
import type { MessageData, QueuedMessage } from "@alsek/core";

/** Options of {@link queuedMessage}. */
export interface QueuedMessageOptions {
  uuid?: string;
  priority?: number;
  /** @defaultValue `0` (always ready) */
  readyAt?: number;
  data?: Partial<MessageData>;
}

/** Complete, JSON-safe message data for `queue`. */
export function messageData(queue: string, overrides: Partial<MessageData> = {}): MessageData {
  return {
    taskName: "conformance_task",
    queue,
    args: [1, "two", { three: [3] }],
    kwargs: { flag: true },
    priority: 0,
    metadata: null,
    exceptionDetails: null,
    resultTtl: null,
    uuid: randomUUID(),
    progenitorUuid: null,
    retries: 0,
    timeout: 60_000,
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
    delay: 0,
    previousResult: null,
    previousMessageUuid: null,
    callbackMessageData: null,
    backoffSettings: { algorithm: "ConstantBackoff", parameters: { constant: 0, zeroOverride: true } },
    mechanism: "thread",
    linkedLock: null,
    ...overrides,
  };
}

/** A message ready to submit to `queue`. */
export function queuedMessage(queue: string, options: QueuedMessageOptions = {}): QueuedMessage {
  const priority = options.priority ?? 0;
  const uuid = options.uuid ?? randomUUID();
  return {
    queue,
    uuid,
    priority,
    readyAt: options.readyAt ?? 0,
    data: messageData(queue, { ...options.data, uuid, priority }),
  };
}
