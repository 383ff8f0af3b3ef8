// Spans a task makes are children of the pool's run span: the worker runs the task in the trace
// context the pool put in its assignment. Shown in the in-loop pool, whose tasks run in this
// process, where the test registers the SDK (a thread or child process needs its own).
import { AsyncLocalStorage } from "node:async_hooks";
import { Broker, task, type Message } from "@alsek/core";
import { RedisBackend } from "@alsek/redis";
import { startRedisServer, type RedisServer } from "@alsek/test-support";
import { until } from "@alsek/test-support/pool-behaviour";
import { context, ROOT_CONTEXT, trace, type Context, type ContextManager } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, expect, it } from "vitest";
import { InLoopWorkerPool } from "./index.js";

/** The smallest AsyncLocalStorage context manager (what @opentelemetry/context-async-hooks does). */
class StorageContextManager implements ContextManager {
  readonly #storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.#storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.#storage.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.#storage.disable();
    return this;
  }
}

let redis: RedisServer;
let backend: RedisBackend;
beforeAll(async () => {
  redis = await startRedisServer();
  backend = new RedisBackend(redis.url, { namespace: "in-loop-tracing" });
});
afterAll(async () => {
  await backend?.close();
  await redis?.stop();
});

it("runs the task in its run span's context: spans the task makes are its children, in the producer's trace", async () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  context.setGlobalContextManager(new StorageContextManager());
  trace.setGlobalTracerProvider(provider);
  const broker = new Broker(backend);
  const fetchPage = task(
    broker,
    { name: "fetchPage", mechanism: "thread", queue: "traced", maxRetries: 0, passMessage: true },
    async function fetchPage(url: string, message: Message) {
      const span = trace.getTracer("app").startSpan(`GET ${url}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      span.end();
      return message.uuid;
    },
  );
  const pool = new InLoopWorkerPool({ tasks: [fetchPage], concurrency: 2, handleSignals: false });
  const done = new Promise((resolve) => pool.once("completed", resolve));
  const running = pool.run();
  try {
    const message = await fetchPage.generate({ args: ["/index"] });
    await done;
    await until("the run span ended", () => exporter.getFinishedSpans().some((span) => span.name === "process traced"));
    const spans = exporter.getFinishedSpans();
    const send = spans.find((span) => span.name === "send traced")!;
    const run = spans.find((span) => span.name === "process traced")!;
    const inner = spans.find((span) => span.name === "GET /index")!;
    expect(run.attributes["messaging.message.id"]).toBe(message.uuid);
    expect(run.parentSpanContext?.spanId).toBe(send.spanContext().spanId);
    expect(inner.parentSpanContext?.spanId).toBe(run.spanContext().spanId);
    expect(inner.spanContext().traceId).toBe(send.spanContext().traceId);
    // The stored message keeps its producer's context (a retry is again the producer's child).
    expect(message.metadata?.["alsek.traceparent"]).toContain(send.spanContext().spanId);
  } finally {
    await pool.stop();
    await running;
    trace.disable();
    context.disable();
    await provider.shutdown();
  }
});
