import type { Context, Span } from "@opentelemetry/api";
import type { MessageData } from "../messages/message-data.js";
import type { Tracing } from "./open-telemetry.js";
import { TRACE_CONTEXT_METADATA_KEY } from "./trace-context-key.js";


const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The `traceparent` of `span`, or `null` when it records nothing (no SDK, not sampled). */
export function traceparentOf(span: Span): string | null {
  if (!span.isRecording()) return null;
  const { traceId, spanId, traceFlags } = span.spanContext();
  return `00-${traceId}-${spanId}-${(traceFlags & 0xff).toString(16).padStart(2, "0")}`;
}

/** Write `span`'s trace context into `data.metadata` (nothing when the span records nothing). */
export function injectTraceContext(span: Span, data: Pick<MessageData, "metadata">): void {
  const traceparent = traceparentOf(span);
  if (traceparent === null) return;
  data.metadata = { ...(data.metadata ?? {}), [TRACE_CONTEXT_METADATA_KEY]: traceparent };
}

/** The context whose parent is the span that published `data`, or the active one when it carries none. */
export function extractTraceContext(tracing: Tracing, data: Pick<MessageData, "metadata">): Context {
  const { api } = tracing;
  const value = data.metadata?.[TRACE_CONTEXT_METADATA_KEY];
  const match = typeof value === "string" ? TRACEPARENT.exec(value) : null;
  if (match === null) return api.context.active();
  return api.trace.setSpanContext(api.context.active(), {
    traceId: match[1]!,
    spanId: match[2]!,
    traceFlags: Number.parseInt(match[3]!, 16),
    isRemote: true,
  });
}
