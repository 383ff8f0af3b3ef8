export { ChannelWatch } from "./channel-watch.js";
export type { ChannelWatchOptions } from "./channel-watch.js";
export { deadlineFrom } from "./deadline.js";
