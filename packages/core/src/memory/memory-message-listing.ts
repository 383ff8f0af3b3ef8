// Listing in memory sorts the state's entries on each call: O(n log n) per page, which is fine
// for the test and single-process backend; the order and cursor rules are the ones Redis and
// SQLite follow, so a caller cannot tell the backends apart.
import {
  compareListingPositions,
  encodeListingCursor,
  type ListingPosition,
} from "../backend/listing-cursor.js";
import type { ListedMessage, ListMessagesRequest, MessagePage, MessageState } from "../backend/inspection-types.js";
import type { MessageData } from "../messages/message-data.js";
import type { MemoryQueue } from "./memory-queue.js";
import { isExpired } from "./stored-text.js";

/** One entry of a state's index: its position and how to read it. */
interface IndexEntry {
  score: number;
  uuid: string;
  text: string;
  dueAt: number | null;
}

const READY_SCORE_PRIORITY_FACTOR = 2 ** 32;

/** The entries of `state` in index order (score, then uuid). */
function indexOf(queue: MemoryQueue, state: MessageState, now: number): IndexEntry[] {
  const out: IndexEntry[] = [];
  if (state === "dead") {
    for (const [uuid, dead] of queue.deadLetters) {
      if (!isExpired(dead, now)) out.push({ score: dead.expiresAt ?? 0, uuid, text: dead.text, dueAt: dead.expiresAt });
    }
  } else {
    for (const entry of queue.entries.values()) {
      if (entry.state !== state) continue;
      const score =
        state === "ready"
          ? entry.priority * READY_SCORE_PRIORITY_FACTOR + entry.seq
          : state === "delayed"
            ? entry.readyAt
            : entry.leaseExpiresAt;
      out.push({ score, uuid: entry.uuid, text: entry.text, dueAt: state === "ready" ? null : score });
    }
  }
  return out.sort(compareListingPositions);
}

/** The index entry of a message, by uuid, wherever it is. */
export function locateEntry(queue: MemoryQueue, uuid: string, now: number): { state: MessageState; text: string; dueAt: number | null } | null {
  const entry = queue.entries.get(uuid);
  if (entry !== undefined) {
    const dueAt = entry.state === "delayed" ? entry.readyAt : entry.state === "active" ? entry.leaseExpiresAt : null;
    return { state: entry.state, text: entry.text, dueAt };
  }
  const dead = queue.deadLetters.get(uuid);
  if (dead === undefined || isExpired(dead, now)) return null;
  return { state: "dead", text: dead.text, dueAt: dead.expiresAt };
}

/** One page of `queue`'s `state` index after `position`. */
export function listPage(
  queue: MemoryQueue | undefined,
  request: ListMessagesRequest,
  position: ListingPosition | null,
  decode: (text: string) => MessageData,
  now: number,
): MessagePage {
  if (queue === undefined) return { items: [], nextCursor: null };
  const { state, order, limit } = request;
  const index = indexOf(queue, state, now);
  // The first entry past the cursor, walking in the requested direction.
  let start: number;
  if (order === "oldest") {
    start = position === null ? 0 : index.findIndex((entry) => compareListingPositions(entry, position) > 0);
    if (start === -1) start = index.length;
  } else {
    index.reverse();
    start = position === null ? 0 : index.findIndex((entry) => compareListingPositions(entry, position) < 0);
    if (start === -1) start = index.length;
  }
  const slice = index.slice(start, start + limit);
  const items: ListedMessage[] = slice.map((entry) => ({
    data: decode(entry.text),
    state,
    dueAt: entry.dueAt,
    cursor: encodeListingCursor({ state, order, score: entry.score, uuid: entry.uuid }),
  }));
  const more = start + limit < index.length;
  return { items, nextCursor: more ? (items[items.length - 1]?.cursor ?? null) : null };
}
