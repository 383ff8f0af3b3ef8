export type { Backend } from "./backend.js";
export type * from "./types.js";
export { validateQueueName, validateTaskName, resultChannel } from "./names.js";
export type * from "./inspection-types.js";
export { MESSAGE_STATES, MAX_LISTING_LIMIT, THROUGHPUT_MINUTES } from "./inspection-types.js";
export { encodeListingCursor, decodeListingCursor, compareListingPositions } from "./listing-cursor.js";
export type { ListingPosition } from "./listing-cursor.js";
export {
  validateListMessagesRequest,
  validateThroughputMinutes,
  validateMessageUuid,
} from "./inspection-checks.js";
export type * from "./schedule-types.js";
export type { RateLimit, QueueControl } from "./flow-control.js";
export { MAX_RATE_LIMIT_DURATION_MS, MAX_RATE_LIMIT_MAX } from "./flow-control.js";
export { admitFromWindow, countingWindowMs, MAX_START_SKEW_MS, type WindowAdmission } from "./rate-window.js";
