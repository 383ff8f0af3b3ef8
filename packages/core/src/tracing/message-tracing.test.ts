import { trace } from "@opentelemetry/api";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { afterEach, describe, expect, it } from "vitest";
import { Broker } from "../broker/index.js";
import { MemoryBackend } from "../memory/index.js";
import { task } from "../tasks/index.js";
import { messageTracing } from "./message-tracing.js";
import { loadTracing } from "./open-telemetry.js";
import { TRACE_CONTEXT_METADATA_KEY } from "./trace-context-key.js";

const backends: MemoryBackend[] = [];
afterEach(async () => {
  messageTracing.reset();
  trace.disable();
  await Promise.all(backends.splice(0).map((backend) => backend.close()));
});

function setup() {
  const backend = new MemoryBackend();
  backends.push(backend);
  return new Broker(backend);
}

describe("messageTracing", () => {
  it("without @opentelemetry/api: loads nothing, traces nothing, writes nothing into messages", async () => {
    let imports = 0;
    expect(
      await loadTracing(() => {
        imports++;
        return Promise.reject(new Error("Cannot find package '@opentelemetry/api'"));
      }),
    ).toBeNull();
    expect(messageTracing.enabled).toBe(false);
    expect(await messageTracing.load()).toBe(false);
    const t = task(setup(), { name: "untraced" }, function untraced() {});
    const message = await t.generate();
    expect(message.metadata).toBeNull();
    expect(messageTracing.attempt(message, null)).toBeNull();
    expect(messageTracing.claimed(["q"], 3, Date.now())).toBeNull();
    expect(imports).toBe(1);
  });

  it("with the API but no SDK registered: spans are no-ops and messages carry no trace context", async () => {
    expect(await messageTracing.load()).toBe(true);
    const t = task(setup(), { name: "noSdk" }, function noSdk() {});
    const message = await t.generate({ metadata: { mine: 1 } });
    expect(message.metadata).toEqual({ mine: 1 });
    // A claim's no-op span: nothing traced per message.
    const claim = messageTracing.claimed(["alsek_queue"], 1, Date.now());
    expect(claim).toBeNull();
    expect(messageTracing.attempt(message, claim)).toBeNull();
  });

  it("with an SDK: the producer span's traceparent is written into the message's metadata and stored", async () => {
    trace.setGlobalTracerProvider(new BasicTracerProvider());
    const broker = setup();
    const t = task(broker, { name: "traced" }, function traced() {});
    const message = await t.generate({ metadata: { mine: 1 } });
    expect(message.metadata).toMatchObject({
      mine: 1,
      [TRACE_CONTEXT_METADATA_KEY]: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/),
    });
    const stored = await broker.backend.getMessage(message);
    expect(stored?.metadata).toEqual(message.metadata);
  });
});
