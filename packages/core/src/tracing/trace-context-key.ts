/**
 * The metadata key that carries a message's trace context (a W3C `traceparent`) from the span
 * that published it to the span that runs it, across processes and hosts.
 */
export const TRACE_CONTEXT_METADATA_KEY = "alsek.traceparent";
