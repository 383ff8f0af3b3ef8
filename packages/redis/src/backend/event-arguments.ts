// The event a retry or a fail records, as the scripts take it (after their own arguments).
import { eventErrorOf, type MessageData } from "@alsek/core";
import type { BackendConnection } from "./backend-connection.js";

/**
 * `retry.lua`/`fail.lua`'s event arguments: the stream cap (`0`: no events, and nothing else is
 * computed), then for a fail its event type, then the attempt and the error's name and text.
 */
export function eventArguments(
  connection: BackendConnection,
  data: MessageData,
  failType?: "failed" | "revoked",
): (string | number)[] {
  const events = connection.eventLength;
  if (events === 0) return failType === undefined ? [0, 0, "", ""] : [0, "", 0, "", ""];
  const error = eventErrorOf(data.exceptionDetails);
  const tail = [data.retries, error?.name ?? "", error?.message ?? ""];
  return failType === undefined ? [events, ...tail] : [events, failType, ...tail];
}
