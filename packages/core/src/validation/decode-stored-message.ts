// The read side of the message schema: every backend turns a stored payload into message data
// through this one function, so a payload that does not parse and one of the wrong shape are
// refused in the same place, with the same error, before anything runs them.
import type { MessageRef } from "../backend/types.js";
import { MessageDecodeError } from "../errors/index.js";
import type { MessageData } from "../messages/message-data.js";
import { acceptsMessageField, findMessageProblem, MESSAGE_FIELD_RULES } from "./message-schema.js";
import { DEFAULT_TASK_TIMEOUT } from "../messages/message.js";
import { ExponentialBackoff } from "../backoff/exponential-backoff.js";

/** The key of a dead letter's `metadata` that holds the payload that could not be decoded. */
export const RAW_PAYLOAD_METADATA_KEY = "rawPayload";

/** What {@link decodeStoredMessage} made of a payload. */
export type DecodedMessage =
  | { ok: true; data: MessageData }
  | { ok: false; error: MessageDecodeError; deadLetter: MessageData };

/**
 * Parse `payload` (the stored text of the message `ref`) with `parse` and check the result against
 * the message schema. Never throws: a payload that does not parse, or parses into a malformed
 * message, comes back as a {@link MessageDecodeError} naming the queue, the uuid and the field,
 * with the data to dead-letter in its place ({@link undecodableDeadLetter}).
 */
export function decodeStoredMessage(ref: MessageRef, payload: string, parse: (payload: string) => unknown): DecodedMessage {
  let value: unknown;
  try {
    value = parse(payload);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const error = MessageDecodeError.describe(ref.queue, ref.uuid, null, `its payload does not parse (${reason})`, cause);
    return { ok: false, error, deadLetter: undecodableDeadLetter(ref, payload, undefined, error) };
  }
  const problem = findMessageProblem(value, ref);
  if (problem === null) return { ok: true, data: value as MessageData };
  const error = MessageDecodeError.describe(ref.queue, ref.uuid, problem.field, problem.text);
  return { ok: false, error, deadLetter: undecodableDeadLetter(ref, payload, value, error) };
}

/**
 * The dead letter that stands for a message that could not be decoded: every field of `parsed`
 * that is well formed is kept, the others get their defaults, `exceptionDetails` carries the
 * error and `metadata.rawPayload` the stored payload exactly as it was found.
 */
export function undecodableDeadLetter(
  ref: MessageRef,
  payload: string,
  parsed: unknown,
  error: MessageDecodeError,
): MessageData {
  const readable: Record<string, unknown> = {};
  if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
    for (const field of Object.keys(MESSAGE_FIELD_RULES) as (keyof MessageData)[]) {
      const value = (parsed as Record<string, unknown>)[field];
      if (acceptsMessageField(field, value)) readable[field] = value;
    }
  }
  const now = Date.now();
  const pick = <K extends keyof MessageData>(field: K, fallback: MessageData[K]): MessageData[K] =>
    field in readable ? (readable[field] as MessageData[K]) : fallback;
  return {
    taskName: pick("taskName", ""),
    queue: ref.queue,
    args: pick("args", []),
    kwargs: pick("kwargs", {}),
    priority: pick("priority", 0),
    metadata: { ...pick("metadata", null), [RAW_PAYLOAD_METADATA_KEY]: payload },
    exceptionDetails: { name: error.name, text: error.message, traceback: null },
    resultTtl: pick("resultTtl", null),
    uuid: ref.uuid,
    progenitorUuid: pick("progenitorUuid", null),
    retries: pick("retries", 0),
    timeout: pick("timeout", DEFAULT_TASK_TIMEOUT),
    createdAt: pick("createdAt", now),
    updatedAt: now,
    delay: pick("delay", 0),
    previousResult: null,
    previousMessageUuid: pick("previousMessageUuid", null),
    callbackMessageData: null,
    backoffSettings: pick("backoffSettings", new ExponentialBackoff().settings),
    mechanism: pick("mechanism", "process"),
    linkedLock: pick("linkedLock", null),
  };
}
