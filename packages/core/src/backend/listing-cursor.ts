// A listing cursor is a position in one state's index (score and uuid of the last entry served),
// never an offset: entries added or removed before it do not shift the next page. Every backend
// encodes and checks cursors here so that one rule decides what a valid cursor is.
import { ValidationError } from "../errors/index.js";
import type { ListingOrder, MessageState } from "./inspection-types.js";

/** A decoded listing cursor: where the previous page stopped. */
export interface ListingPosition {
  /** The state the cursor walks. */
  state: MessageState;
  /** The direction it walks. */
  order: ListingOrder;
  /** Index score of the last entry served (for ready: `priority * 2^32 + seq`). */
  score: number;
  /** Uuid of the last entry served; ties on `score` are ordered by uuid (byte order). */
  uuid: string;
}

const MAX_CURSOR_LENGTH = 1_000;

/** The opaque text of a cursor. */
export function encodeListingCursor(position: ListingPosition): string {
  const { state, order, score, uuid } = position;
  return Buffer.from(JSON.stringify([state, order, score, uuid]), "utf8").toString("base64url");
}

/** The error for a cursor that cannot be used, saying how to page instead. */
export function invalidCursor(why: string): ValidationError {
  return new ValidationError(
    `Invalid listing cursor: ${why}. Pass null for the first page, then the nextCursor of the page before, ` +
      "with the same state and order.",
  );
}

/**
 * The position a cursor names, checked against the request's state and order.
 * @throws ValidationError when the text is not a cursor or was made for another state or order.
 */
export function decodeListingCursor(cursor: string, state: MessageState, order: ListingOrder): ListingPosition {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH) throw invalidCursor("empty or too long");
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalidCursor("not a cursor this library made");
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) throw invalidCursor("not a cursor this library made");
  const [cursorState, cursorOrder, score, uuid] = parsed as unknown[];
  if (typeof score !== "number" || !Number.isFinite(score) || typeof uuid !== "string" || uuid.length === 0) {
    throw invalidCursor("not a cursor this library made");
  }
  if (cursorState !== state || cursorOrder !== order) {
    throw invalidCursor(`it walks ${String(cursorState)}/${String(cursorOrder)}, not ${state}/${order}`);
  }
  return { state, order, score, uuid };
}

/**
 * Compares two index positions (score, then uuid in byte order, as Redis and SQLite order
 * members): negative when `a` comes first.
 */
export function compareListingPositions(a: { score: number; uuid: string }, b: { score: number; uuid: string }): number {
  if (a.score !== b.score) return a.score < b.score ? -1 : 1;
  return Buffer.compare(Buffer.from(a.uuid, "utf8"), Buffer.from(b.uuid, "utf8"));
}
