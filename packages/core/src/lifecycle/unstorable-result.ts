import type { QueuedMessage, ResultWrite } from "../backend/types.js";
import { ResultSerializationError } from "../errors/index.js";
import { compactMessageData } from "../messages/compact-message-data.js";
import type { Message } from "../messages/message.js";
import type { Serializer } from "../serializers/serializer.js";

function pathOf(error: unknown): string | null {
  const path = (error as { path?: unknown } | null)?.path;
  return typeof path === "string" ? path : null;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Why an ack that threw could not store the attempt's result or its callback message: the
 * {@link ResultSerializationError} to fail the attempt with, or `null` when both encode (the ack
 * failed for another reason). Backends encode these before they change anything, so a throw of
 * the serializer left the message as it was. Encodes them again: call it only after an ack threw.
 */
export function unstorableResult(
  message: Message,
  serializer: Serializer,
  result: ResultWrite | undefined,
  callback: QueuedMessage | undefined,
): ResultSerializationError | null {
  if (result !== undefined) {
    try {
      serializer.forward(result.value);
    } catch (error) {
      return new ResultSerializationError(
        `Task '${message.taskName}' (message ${message.uuid}) returned a result that cannot be stored, so the attempt failed: ${reasonOf(error)}`,
        { cause: error, path: pathOf(error) },
      );
    }
  }
  if (callback !== undefined) {
    try {
      serializer.forward(compactMessageData(callback.data, callback));
    } catch (error) {
      return new ResultSerializationError(
        `Task '${message.taskName}' (message ${message.uuid}): its callback message to task '${callback.data.taskName}' (which carries the result as ` +
          `previousResult) cannot be stored, so the attempt failed: ${reasonOf(error)}`,
        { cause: error, path: pathOf(error) },
      );
    }
  }
  return null;
}
