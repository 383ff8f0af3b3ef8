// The argument rules of the inspection calls, in one place for every backend.
import { ValidationError } from "../errors/index.js";
import {
  MAX_LISTING_LIMIT,
  MESSAGE_STATES,
  THROUGHPUT_MINUTES,
  type ListingOrder,
  type ListMessagesRequest,
} from "../backend/inspection-types.js";
import { decodeListingCursor, invalidCursor, type ListingPosition } from "../backend/listing-cursor.js";

const ORDERS: readonly ListingOrder[] = ["oldest", "newest"];

/**
 * Checks a listing request and returns its decoded cursor (`null` for a first page).
 * @throws ValidationError naming the bad field.
 */
export function validateListMessagesRequest(request: ListMessagesRequest): ListingPosition | null {
  if (typeof request !== "object" || request === null) {
    throw new ValidationError("listMessages needs a request { state, order, cursor, limit }.");
  }
  const { state, order, cursor, limit } = request;
  if (!MESSAGE_STATES.includes(state)) {
    throw new ValidationError(`Invalid state ${JSON.stringify(state)}: use one of ${MESSAGE_STATES.join(", ")}.`);
  }
  if (!ORDERS.includes(order)) {
    throw new ValidationError(`Invalid order ${JSON.stringify(order)}: use "oldest" or "newest".`);
  }
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LISTING_LIMIT) {
    throw new ValidationError(`Invalid page size ${String(limit)}: use an integer from 1 to ${MAX_LISTING_LIMIT}.`);
  }
  if (cursor === null) return null;
  if (typeof cursor !== "string") throw invalidCursor(`got ${typeof cursor}`);
  return decodeListingCursor(cursor, state, order);
}

/**
 * Checks how many minutes of throughput are asked for.
 * @throws ValidationError unless it is an integer from 1 to {@link THROUGHPUT_MINUTES}.
 */
export function validateThroughputMinutes(minutes: number): number {
  if (!Number.isSafeInteger(minutes) || minutes < 1 || minutes > THROUGHPUT_MINUTES) {
    throw new ValidationError(
      `Invalid throughput window ${String(minutes)}: use an integer number of minutes from 1 to ${THROUGHPUT_MINUTES}.`,
    );
  }
  return minutes;
}

/**
 * Checks a message uuid given to an inspection call.
 * @throws ValidationError unless it is 1-200 characters without whitespace.
 */
export function validateMessageUuid(uuid: unknown): string {
  if (typeof uuid !== "string" || uuid.length === 0 || uuid.length > 200 || /\s/.test(uuid)) {
    throw new ValidationError(`Invalid message uuid ${JSON.stringify(uuid)}: use 1-200 characters without whitespace.`);
  }
  return uuid;
}
