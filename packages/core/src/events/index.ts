export {
  eventErrorOf,
  failEventType,
  MAX_EVENT_ERROR_TEXT,
  QUEUE_EVENT_TYPES,
  type QueueEvent,
  type QueueEventError,
  type QueueEventType,
} from "./queue-event.js";
export { DEFAULT_EVENT_STREAM_LENGTH, eventStreamLength, type EventStreamOption } from "./event-stream-options.js";
