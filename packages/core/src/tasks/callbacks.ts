import { ValidationError } from "../errors/index.js";
import type { Message } from "../messages/message.js";
import type { MessageData } from "../messages/message-data.js";
import { getRegisteredTask } from "./registry.js";

/**
 * The data of the root of a callback chain. An array is chained in order: each item becomes the
 * callback of the one before it (the items are modified in place, as in the original), which is
 * equivalent to nesting them by hand.
 * @throws ValidationError when an array item already has a callback, or a callback belongs to a
 * trigger task.
 */
export function callbackDataOf(callback: Message | readonly Message[]): MessageData | null {
  let root: Message | undefined;
  if (Array.isArray(callback)) {
    const items = callback as readonly Message[];
    for (const item of items) {
      if (item.callbackMessageData) {
        throw new ValidationError(
          `Existing callbacks in ${item.summary}: an array of callbacks is chained in order, so its ` +
            "items must not have callbacks of their own. Nest them by hand or flatten the array.",
        );
      }
    }
    for (let i = items.length - 1; i > 0; i -= 1) {
      (items[i - 1] as Message).callbackMessageData = (items[i] as Message).data;
    }
    root = items[0];
  } else {
    root = callback as Message;
  }
  if (!root) return null;
  const data = root.data;
  for (let item: MessageData | null = data; item; item = item.callbackMessageData) {
    if (getRegisteredTask(item.taskName)?.isTrigger) {
      throw new ValidationError(
        `Callback message ${item.uuid} belongs to trigger task '${item.taskName}': trigger tasks run on ` +
          "their schedule and cannot be callbacks. Use a plain task as the callback.",
      );
    }
  }
  return data;
}
