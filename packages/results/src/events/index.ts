export { QueueEvents, type QueueEventsEvents, type QueueEventsOptions } from "./queue-events.js";
