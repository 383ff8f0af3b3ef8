import type { MessageData } from "@alsek/core";
import { messageData } from "./message-fixtures.js";

/** One way a stored message can be broken, and the field its `MessageDecodeError` must name. */
export interface MalformedPayload {
  /** What is broken, for test titles. */
  name: string;
  /** The field the error names; `null` when the payload does not parse into an object at all. */
  field: string | null;
  /** The broken stored payload for a message whose good data is `data`, encoded with `encode` (the backend's serializer). */
  payload(data: MessageData, encode: (value: unknown) => string): string;
}

/**
 * Ten broken payloads, one per kind of damage a stored message can suffer: for backend and pool
 * tests of poison messages (each must be dead-lettered on its own, naming `field`).
 */
export const MALFORMED_PAYLOADS: readonly MalformedPayload[] = [
  { name: "truncated", field: null, payload: (d, encode) => encode(d).slice(0, 25) },
  { name: "null", field: null, payload: (_d, encode) => encode(null) },
  { name: "args a string", field: "args", payload: (d, encode) => encode({ ...d, args: "oops" }) },
  { name: "negative timeout", field: "timeout", payload: (d, encode) => encode({ ...d, timeout: -5 }) },
  { name: "retries a string", field: "retries", payload: (d, encode) => encode({ ...d, retries: "3" }) },
  { name: "taskName missing", field: "taskName", payload: ({ taskName: _, ...rest }, encode) => encode(rest) },
  { name: "kwargs an array", field: "kwargs", payload: (d, encode) => encode({ ...d, kwargs: [1] }) },
  { name: "createdAt a string", field: "createdAt", payload: (d, encode) => encode({ ...d, createdAt: "yesterday" }) },
  { name: "unknown mechanism", field: "mechanism", payload: (d, encode) => encode({ ...d, mechanism: "fiber" }) },
  {
    name: "callback of the wrong shape",
    field: "callbackMessageData.args",
    payload: (d, encode) => encode({ ...d, callbackMessageData: { ...messageData(d.queue), args: 7 } }),
  },
];
