export { QueueInspector } from "./queue-inspector.js";
export { TASK_FILTER_SCAN_BUDGET } from "./inspection-types.js";
export type * from "./inspection-types.js";
export type { ListingOrder, MessageState } from "@alsek/core";
