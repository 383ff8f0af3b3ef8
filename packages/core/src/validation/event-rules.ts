import type { ReadEventsRequest } from "../backend/types.js";
import { ValidationError } from "../errors/index.js";

/** Most events one `readEvents` call returns. */
export const MAX_EVENTS_PER_READ = 1_000;

/**
 * The argument rule of `Backend.readEvents`, shared by every backend: an id as the backend gave it
 * (digits, or Redis' `<ms>-<seq>`) or `null`, and a limit from 1 to {@link MAX_EVENTS_PER_READ}.
 * @throws ValidationError naming what is wrong.
 */
export function requireReadEventsRequest(request: ReadEventsRequest): ReadEventsRequest {
  const { after, limit } = request;
  if (after !== null && (typeof after !== "string" || !/^\d{1,20}(-\d{1,20})?$/.test(after))) {
    throw new ValidationError(
      `readEvents: \`after\` must be an event id a backend returned (or null for the oldest kept), got ${JSON.stringify(after)}.`,
    );
  }
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_EVENTS_PER_READ) {
    throw new ValidationError(`readEvents: \`limit\` must be an integer from 1 to ${MAX_EVENTS_PER_READ}, got ${String(limit)}.`);
  }
  return request;
}
