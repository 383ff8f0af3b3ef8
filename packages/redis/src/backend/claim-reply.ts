// Reading one reply of claim.lua: its header, the claimed messages (each decoded and checked on its
// own, so one bad value rejects only itself) and the index entries it dropped.
import type { ClaimedMessage, Lease, Logger, RejectedMessage, Serializer } from "@alsek/core";
import { decodeStoredValue } from "./stored-value-decoding.js";

/** Flag of a queue's group in a claim reply: every message carries its expired-lease count. */
const EXPIRED_COUNTS_FOLLOW = 1;
/** Flag of a queue's group in a claim reply (a re-sent claim's): every message carries its rank. */
const RANKS_FOLLOW = 2;

/** A message claim.lua leased whose stored value could not be decoded; it still holds `lease`. */
export type UndecodableMessage = RejectedMessage & { lease: Lease };

/** The header of one claim.lua reply. */
export interface ClaimReplyHeader {
  /** ms until the next delayed message or lease expiry; -1 nothing pending, -2 limit reached. */
  next: number;
  /** Entries waiting in the queues' outboxes. */
  outboxLength: number;
}

/**
 * Append the messages of `reply` (for the queues of `batch`, tokens `tokenPrefix` + rank) to
 * `messages`, or to `undecodable` when their value cannot be read, and log the dropped entries.
 * Layout (see claim.lua): next, outbox length, D; per queue: index, count, flags (expired-lease
 * counts follow, ranks follow), then uuid, value (count, rank) per message; then D pairs of queue
 * index and uuid.
 */
export function readClaimReply(
  reply: readonly (string | number)[],
  batch: readonly string[],
  tokenPrefix: string,
  serializer: Serializer,
  messages: ClaimedMessage[],
  undecodable: UndecodableMessage[],
  log: Logger,
): ClaimReplyHeader {
  const droppedAt = reply.length - 2 * Number(reply[2]);
  for (let d = droppedAt; d < reply.length; d += 2) {
    log.warn("Dropped a queue entry whose message is gone (no stored data); it will not be claimed again.", {
      queue: batch[Number(reply[d]) - 1],
      uuid: String(reply[d + 1]),
    });
  }
  let taken = 0;
  let i = 3;
  while (i < droppedAt) {
    const queue = batch[Number(reply[i]) - 1]!;
    const count = Number(reply[i + 1]);
    const flags = Number(reply[i + 2]);
    const withExpired = (flags & EXPIRED_COUNTS_FOLLOW) !== 0;
    const withRank = (flags & RANKS_FOLLOW) !== 0;
    const rankAt = withExpired ? 3 : 2;
    i += 3;
    for (let n = 0; n < count; n++) {
      const uuid = String(reply[i]);
      // A re-sent claim answers only the messages still leased to it: each says its rank.
      const rank = withRank ? Number(reply[i + rankAt]) : ++taken;
      const lease = { queue, uuid, token: tokenPrefix + String(rank) };
      const decoded = decodeStoredValue(String(reply[i + 1]), lease, serializer);
      if (decoded.ok) {
        messages.push({ data: decoded.data, lease, expiredLeases: withExpired ? Number(reply[i + 2]) : 0 });
      } else {
        undecodable.push({ queue, uuid, lease, error: decoded.error, deadLetter: decoded.deadLetter });
      }
      i += rankAt + (withRank ? 1 : 0);
    }
  }
  return { next: Number(reply[0]), outboxLength: Number(reply[1]) };
}
