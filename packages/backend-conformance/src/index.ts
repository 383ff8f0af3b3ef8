export { describeBackendConformance } from "./describe-backend-conformance.js";
export type {
  BackendFactory,
  BackendRequest,
  BackendUnderTest,
  ConformanceOptions,
} from "./conformance-options.js";
export { messageData, queuedMessage, type QueuedMessageOptions } from "./message-fixtures.js";
export { MALFORMED_PAYLOADS, type MalformedPayload } from "./malformed-payloads.js";
