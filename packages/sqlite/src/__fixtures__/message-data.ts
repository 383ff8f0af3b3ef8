import type { MessageData, QueuedMessage } from "@alsek/core";

/** A complete MessageData for tests, with overrides. */
export function messageData(overrides: Partial<MessageData> = {}): MessageData {
  const now = Date.now();
  return {
    taskName: "task",
    queue: "q",
    args: [],
    kwargs: {},
    priority: 0,
    metadata: null,
    exceptionDetails: null,
    resultTtl: null,
    uuid: "u",
    progenitorUuid: null,
    retries: 0,
    timeout: 60_000,
    createdAt: now,
    updatedAt: now,
    delay: 0,
    previousResult: null,
    previousMessageUuid: null,
    callbackMessageData: null,
    backoffSettings: { algorithm: "ConstantBackoff", parameters: { constant: 0 } },
    mechanism: "thread",
    linkedLock: null,
    ...overrides,
  };
}

/** A message ready now (unless `readyAt` says otherwise). */
export function queued(
  queue: string,
  uuid: string,
  extra: { priority?: number; readyAt?: number; args?: unknown[] } = {},
): QueuedMessage {
  const priority = extra.priority ?? 0;
  return {
    queue,
    uuid,
    priority,
    readyAt: extra.readyAt ?? 0,
    data: messageData({ queue, uuid, priority, args: extra.args ?? [] }),
  };
}
