export { messageTracing, type AttemptTrace, type ClaimTrace } from "./message-tracing.js";
export { TRACE_CONTEXT_METADATA_KEY } from "./trace-context-key.js";
