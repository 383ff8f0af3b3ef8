import type { MessageData } from "../messages/message-data.js";

/** Where a message stands, as the inspection calls report it. */
export type MessageState = "ready" | "delayed" | "active" | "dead";

/** Every {@link MessageState}, in lifecycle order. */
export const MESSAGE_STATES: readonly MessageState[] = ["ready", "delayed", "active", "dead"];

/**
 * Direction of a listing. `"oldest"` walks a state's index from its head: ready messages in claim
 * order (priority, then arrival), delayed ones by `readyAt`, active ones by lease expiry, dead
 * letters by their expiry (the order they failed in, for one DLQ ttl). `"newest"` walks it from
 * the tail.
 */
export type ListingOrder = "oldest" | "newest";

/** Input of {@link Backend.listMessages}. */
export interface ListMessagesRequest {
  /** Which index to walk. */
  state: MessageState;
  /** Which end to start from. */
  order: ListingOrder;
  /**
   * Where the previous page stopped (its `nextCursor`), or `null` for the first page. A cursor
   * names a position (the index score and uuid of the last entry returned), not an offset, so
   * messages added or removed meanwhile neither repeat nor shift the next page.
   */
  cursor: string | null;
  /** Entries to return at most, 1 to {@link MAX_LISTING_LIMIT}. */
  limit: number;
}

/** One message as an inspection call reads it: its data, state and the time its index holds. */
export interface StoredMessage {
  /** The message's data as stored. */
  data: MessageData;
  /** The index it is in. A delayed message whose `readyAt` passed stays `"delayed"` until a claim moves it. */
  state: MessageState;
  /**
   * The index's time for the message: `readyAt` when delayed, lease expiry when active, the dead
   * letter's expiry when dead, `null` when ready (ready messages are ordered by priority and arrival).
   */
  dueAt: number | null;
}

/** One message of a {@link MessagePage}. */
export interface ListedMessage extends StoredMessage {
  /**
   * A cursor positioned right after this message (same state and order as the request), for a
   * caller that stops within a page, e.g. to filter it.
   */
  cursor: string;
}

/** Output of {@link Backend.listMessages}. */
export interface MessagePage {
  /** Up to `limit` messages, in the requested order. */
  items: ListedMessage[];
  /**
   * Pass it back for the next page; `null` when the walk reached the end of the index. A page may
   * hold fewer than `limit` items (entries that vanished while it was read are skipped) and still
   * have a cursor.
   */
  nextCursor: string | null;
}

/** Completions and failures of one queue in one minute, as {@link Backend.throughput} returns them. */
export interface ThroughputMinute {
  /** Start of the minute, epoch ms (a multiple of 60 000) on the backend's clock. */
  minute: number;
  /** Messages acked (successfully finished) in that minute. */
  completed: number;
  /** Messages failed for good (dead-lettered or dropped) in that minute. */
  failed: number;
}

/** The largest page {@link Backend.listMessages} serves. */
export const MAX_LISTING_LIMIT = 1_000;

/** How many minutes of throughput backends keep (and {@link Backend.throughput} may ask for). */
export const THROUGHPUT_MINUTES = 60;
