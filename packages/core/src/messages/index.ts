export { Message, DEFAULT_QUEUE, DEFAULT_TASK_TIMEOUT, MESSAGE_DATA_KEYS, newMessageUuid } from "./message.js";
export type { MessageInit } from "./message.js";
export { SUPPORTED_MECHANISMS } from "./message-data.js";
export type * from "./message-data.js";
export { compactKnownFields, compactMessageData, expandMessageData } from "./compact-message-data.js";
export type { CompactMessageData } from "./compact-message-data.js";
export type { ArgsOf, FamilyResultOf, MessageTypes, PreviousResultOf, ResultOf } from "./message-types.js";
export { AttemptAbort } from "./attempt-abort.js";
