export * from "./errors/index.js";
export * from "./serializers/index.js";
export * from "./backend/index.js";
export * from "./status/index.js";
export type * from "./messages/message-data.js";
export { SUPPORTED_MECHANISMS } from "./messages/message-data.js";
