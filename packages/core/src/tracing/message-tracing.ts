import type { Span, SpanContext } from "@opentelemetry/api";
import type { Message } from "../messages/message.js";
import { startPublishSpan, recordClaimSpan, startRunSpan, startSettleSpan } from "./messaging-spans.js";
import { loadTracing, resetTracing, tracingNow, type OpenTelemetryModule } from "./open-telemetry.js";
import { TRACE_CONTEXT_METADATA_KEY } from "./trace-context-key.js";
import { extractTraceContext, traceparentOf } from "./trace-context.js";

/** One claim's trace (opaque): the run spans of its messages link to it. */
export interface ClaimTrace {
  readonly claimTrace: true;
}

/** The spans of one attempt, from its dispatch to its settlement (opaque handles, no OpenTelemetry types). */
export interface AttemptTrace {
  /**
   * Start the settlement span, a child of the run span; the message's callback (if any) now
   * carries its trace context, so the callback's run continues the same trace.
   */
  settling(message: Message): void;
  /**
   * End the attempt's spans: `disposition` (`succeeded`, `retried`, `failed`, `revoked`, `lost`,
   * `gone`, `handed-back`) as the `alsek.disposition` attribute; a retry is also an
   * `alsek.retry` event, a failed outcome (`error`) an exception event and an error status.
   */
  end(disposition: string, error?: unknown): void;
  /** The run span's W3C `traceparent` (the worker runs the task in this context), or `null`. */
  readonly traceparent: string | null;
}

interface ClaimHandle extends ClaimTrace {
  readonly context: SpanContext;
}

class Attempt implements AttemptTrace {
  readonly #api: OpenTelemetryModule;
  readonly #run: Span;
  #settle: Span | null = null;

  constructor(api: OpenTelemetryModule, run: Span) {
    this.#api = api;
    this.#run = run;
  }

  get traceparent(): string | null {
    return traceparentOf(this.#run);
  }

  settling(message: Message): void {
    const tracing = tracingNow();
    if (tracing === null || this.#settle !== null) return;
    this.#settle = startSettleSpan(tracing, message, this.#run);
  }

  end(disposition: string, error?: unknown): void {
    const { SpanStatusCode } = this.#api;
    for (const span of [this.#settle, this.#run]) {
      if (span === null) continue;
      span.setAttribute("alsek.disposition", disposition);
      if (disposition === "retried") span.addEvent("alsek.retry");
      if (error !== undefined) {
        if (error instanceof Error) span.recordException(error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      }
      span.end();
    }
  }
}

/**
 * OpenTelemetry tracing of messages, when the optional peer `@opentelemetry/api` is installed
 * (and an SDK registered): a producer span per submit (`send <queue>`), a span per non-empty
 * claim (`receive <queues>`), a run span per attempt (`process <queue>`, the child of its
 * producer span through the trace context carried in the message's metadata, across threads,
 * processes and hosts), its settlement (`settle <queue>`: ack, retry, DLQ), and callbacks that
 * continue the trace. Every call is a no-op costing one check when the API is absent.
 */
export const messageTracing = {
  /** Import `@opentelemetry/api` once if it is installed; resolves with whether it is. */
  async load(): Promise<boolean> {
    return (await loadTracing()) !== null;
  },

  /** Whether the API was found (after {@link load}). */
  get enabled(): boolean {
    return tracingNow() !== null;
  },

  /** Forget the loaded API (tests). */
  reset(): void {
    resetTracing();
  },

  /**
   * Start the producer span of `messages` (submitted together, one queue) and write its trace
   * context into their metadata; returns what ends it, or `null` without the API.
   */
  publishing(messages: readonly Message[]): ((error?: unknown) => void) | null {
    const tracing = tracingNow();
    if (tracing === null || messages.length === 0) return null;
    const span = startPublishSpan(tracing, messages);
    return (error) => {
      if (error !== undefined) {
        if (error instanceof Error) span.recordException(error);
        span.setStatus({ code: tracing.api.SpanStatusCode.ERROR });
      }
      span.end();
    };
  },

  /**
   * Record a claim of `count` messages from `queues`, started at `startTime` (epoch ms). `null`
   * without the API, and when no SDK is registered (the claim's span context is invalid): its
   * messages are then not traced at all, so an installed API without an SDK costs one no-op span
   * per claim, nothing per message.
   */
  claimed(queues: readonly string[], count: number, startTime: number): ClaimTrace | null {
    const tracing = tracingNow();
    if (tracing === null || count === 0) return null;
    const context = recordClaimSpan(tracing, queues, count, startTime);
    if (!tracing.api.trace.isSpanContextValid(context)) return null;
    const handle: ClaimHandle = { claimTrace: true, context };
    return handle;
  },

  /** Start the run span of one attempt of `message`, claimed by `claim` (`null`: not traced, see {@link claimed}). */
  attempt(message: Message, claim: ClaimTrace | null): AttemptTrace | null {
    const tracing = tracingNow();
    if (tracing === null || claim === null) return null;
    return new Attempt(tracing.api, startRunSpan(tracing, message, (claim as ClaimHandle).context));
  },
};

/** Whether `message` carries a trace context (`metadata["alsek.traceparent"]`). */
export function carriesTraceContext(message: Message): boolean {
  return message.metadata !== null && typeof message.metadata[TRACE_CONTEXT_METADATA_KEY] === "string";
}

/**
 * Run `attempt` in the trace context `message` carries, when `@opentelemetry/api` is installed
 * here (imported once per thread or process); otherwise just run it.
 */
export async function runInTraceContext<T>(message: Message, attempt: () => Promise<T>): Promise<T> {
  const tracing = await loadTracing();
  if (tracing === null) return attempt();
  return tracing.api.context.with(extractTraceContext(tracing, message), attempt);
}
