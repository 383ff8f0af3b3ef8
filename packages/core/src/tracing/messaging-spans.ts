import type { Attributes, Span, SpanContext } from "@opentelemetry/api";
import type { Message } from "../messages/message.js";
import type { Tracing } from "./open-telemetry.js";
import { extractTraceContext, injectTraceContext } from "./trace-context.js";

/** `messaging.system` of every Alsek span. */
export const MESSAGING_SYSTEM = "alsek";

/** The semantic-convention attributes of a span about `message`. */
export function messageAttributes(message: Message, operation: string): Attributes {
  return {
    "messaging.system": MESSAGING_SYSTEM,
    "messaging.operation.type": operation,
    "messaging.destination.name": message.queue,
    "messaging.message.id": message.uuid,
    "alsek.task": message.taskName,
    "alsek.retries": message.retries,
  };
}

/**
 * A producer span (`send <queue>`) for messages about to be submitted together; each message's
 * metadata carries its trace context, so the span that runs it is its child. End it after the
 * submit.
 */
export function startPublishSpan(tracing: Tracing, messages: readonly Message[]): Span {
  const first = messages[0]!;
  const attributes: Attributes =
    messages.length === 1
      ? messageAttributes(first, "send")
      : {
          "messaging.system": MESSAGING_SYSTEM,
          "messaging.operation.type": "send",
          "messaging.destination.name": first.queue,
          "messaging.batch.message_count": messages.length,
        };
  const span = tracing.tracer.startSpan(`send ${first.queue}`, { kind: tracing.api.SpanKind.PRODUCER, attributes });
  for (const message of messages) injectTraceContext(span, message);
  return span;
}

/** A span (`receive <queues>`) for one claim that returned `count` messages, started at `startTime` (epoch ms). */
export function recordClaimSpan(
  tracing: Tracing,
  queues: readonly string[],
  count: number,
  startTime: number,
): SpanContext {
  const span = tracing.tracer.startSpan(`receive ${queues.join(",")}`, {
    kind: tracing.api.SpanKind.CONSUMER,
    startTime,
    attributes: {
      "messaging.system": MESSAGING_SYSTEM,
      "messaging.operation.type": "receive",
      "messaging.destination.name": queues.join(","),
      "messaging.batch.message_count": count,
    },
  });
  span.end();
  return span.spanContext();
}

/**
 * The span of one attempt (`process <queue>`), a child of the span that published the message
 * (from its metadata), linked to the claim that took it.
 */
export function startRunSpan(tracing: Tracing, message: Message, claim: SpanContext): Span {
  return tracing.tracer.startSpan(
    `process ${message.queue}`,
    {
      kind: tracing.api.SpanKind.CONSUMER,
      attributes: messageAttributes(message, "process"),
      links: [{ context: claim }],
    },
    extractTraceContext(tracing, message),
  );
}

/**
 * The settlement span (`settle <queue>`) of an attempt, a child of its run span. The message's
 * callback, if any, carries this span's trace context: the callback's run continues the trace.
 */
export function startSettleSpan(tracing: Tracing, message: Message, run: Span): Span {
  const span = tracing.tracer.startSpan(
    `settle ${message.queue}`,
    { kind: tracing.api.SpanKind.INTERNAL, attributes: messageAttributes(message, "settle") },
    tracing.api.trace.setSpan(tracing.api.context.active(), run),
  );
  if (message.callbackMessageData !== null) injectTraceContext(span, message.callbackMessageData);
  return span;
}
