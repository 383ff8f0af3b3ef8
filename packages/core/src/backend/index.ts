export type { Backend } from "./backend.js";
export type * from "./types.js";
export { resultChannel } from "./result-channel.js";
export type * from "./inspection-types.js";
export { MESSAGE_STATES, MAX_LISTING_LIMIT, THROUGHPUT_MINUTES } from "./inspection-types.js";
export { encodeListingCursor, decodeListingCursor, compareListingPositions } from "./listing-cursor.js";
export type { ListingPosition } from "./listing-cursor.js";
