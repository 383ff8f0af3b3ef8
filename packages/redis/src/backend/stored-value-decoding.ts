// How a stored message value (`<16-digit ready score><serialized compact data>`) is read back on
// claim: checked, parsed and validated against the message schema in one place, never thrown, so
// one corrupt value can only ever reject itself.
import {
  decodeStoredMessage,
  expandMessageData,
  MessageDecodeError,
  undecodableDeadLetter,
  type CompactMessageData,
  type DecodedMessage,
  type MessageRef,
  type Serializer,
} from "@alsek/core";
import { STORED_SCORE_WIDTH } from "../lua/script-constants.js";

const SCORE_PREFIX = new RegExp(`^\\d{${STORED_SCORE_WIDTH}}`);

/** The message data of the stored value `stored` of `ref`, or why it cannot be read. */
export function decodeStoredValue(stored: string, ref: MessageRef, serializer: Serializer): DecodedMessage {
  if (!SCORE_PREFIX.test(stored)) {
    const error = MessageDecodeError.describe(
      ref.queue,
      ref.uuid,
      "score",
      `its stored value does not start with a ${STORED_SCORE_WIDTH}-digit ready score ` +
        "(it was not written by this backend, or was overwritten)",
    );
    return { ok: false, error, deadLetter: undecodableDeadLetter(ref, stored, undefined, error) };
  }
  return decodeStoredMessage(ref, stored.slice(STORED_SCORE_WIDTH), (payload) =>
    expandMessageData(serializer.reverse(payload) as CompactMessageData, ref),
  );
}
