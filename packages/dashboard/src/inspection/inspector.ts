import type { QueueInspector } from "@alsek/results";

export type { MessageDetail, MessageState, MessageSummary, QueueSummary, ListMessagesOptions, ThroughputPoint } from "@alsek/results";

/**
 * The inspection calls the dashboard makes: `QueueInspector` of `@alsek/results`, or anything of
 * its shape (a wrapper that logs or restricts, for example).
 */
export type Inspector = Pick<
  QueueInspector,
  | "listQueues"
  | "listMessages"
  | "getMessage"
  | "redrive"
  | "redriveDeadLetters"
  | "deleteDeadLetter"
  | "deleteDeadLetters"
  | "revoke"
  | "retryNow"
  | "remove"
  | "purge"
  | "pause"
  | "resume"
  | "throughput"
>;
