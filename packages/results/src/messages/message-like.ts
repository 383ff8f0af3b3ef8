import type { MessageData } from "@alsek/core";

/**
 * What `@alsek/results` needs to know about a message. A core `Message` fits, and so does the plain
 * `message.data` of a message produced by another process (for example sent to a dashboard as
 * JSON): reading statuses and results needs no task definition and no worker package.
 */
export interface MessageLike {
  /** The queue the message was submitted to. */
  readonly queue: string;
  /** The message's uuid. */
  readonly uuid: string;
  /** The task's name; only used in error messages. */
  readonly taskName?: string;
  /** Root of the message's family (callback chain or trigger fires), when it has one. */
  readonly progenitorUuid?: string | null;
  /** How long its result is kept, in ms; `null` or absent keeps it until read. */
  readonly resultTtl?: number | null;
  /**
   * How many attempts failed before the current one (0 on the first); orders RUNNING and RETRYING
   * of successive attempts (`statusRank`). Absent counts as 0.
   */
  readonly retries?: number;
  /** Its callback chain, if any; `descendants: true` reads the results along it. */
  readonly callbackMessageData?: MessageData | null;
}

/** The `Message(...)` summary used in error messages, built from the fields that are present. */
export function describeMessage(message: MessageLike): string {
  const task = message.taskName === undefined ? "" : `, task='${message.taskName}'`;
  return `Message(uuid='${message.uuid}', queue='${message.queue}'${task})`;
}
