import { ValidationError } from "../errors/index.js";

/** Default cap of a queue's event stream: entries kept per queue. */
export const DEFAULT_EVENT_STREAM_LENGTH = 10_000;

/**
 * The event stream option of every backend (`events` in their options): `true` or
 * `{ maxLength }` records an event for each state change of a message (see `QueueEvent`), kept
 * per queue up to about `maxLength` entries (the oldest are dropped). `false` records nothing and
 * costs nothing.
 */
export type EventStreamOption = boolean | { maxLength?: number };

/**
 * The cap of the event stream `option` asks for, or `0` when it is off.
 * @throws ValidationError for a `maxLength` that is not an integer from 1 to 10 000 000.
 */
export function eventStreamLength(option: EventStreamOption | undefined, defaultOn = false): number {
  if (option === undefined) return defaultOn ? DEFAULT_EVENT_STREAM_LENGTH : 0;
  if (option === false) return 0;
  if (option === true) return DEFAULT_EVENT_STREAM_LENGTH;
  const length = option.maxLength ?? DEFAULT_EVENT_STREAM_LENGTH;
  if (!Number.isSafeInteger(length) || length < 1 || length > 10_000_000) {
    throw new ValidationError(`events.maxLength must be an integer from 1 to 10000000, got ${String(length)}.`);
  }
  return length;
}
