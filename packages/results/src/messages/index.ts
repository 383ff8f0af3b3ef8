export type { MessageLike } from "./message-like.js";
export { describeMessage } from "./message-like.js";
