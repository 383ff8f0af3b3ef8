// MemoryBackend beyond the Backend contract; the contract itself is checked by
// @alsek/backend-conformance, whose own tests run the suite on MemoryBackend.
import { describe, expect, it } from "vitest";
import { queuedMessage } from "../__fixtures__/queued-message.js";
import { BackendError, ValidationError } from "../errors/index.js";
import { SuperJsonSerializer } from "../serializers/index.js";
import { MemoryBackend } from "./memory-backend.js";

describe("MemoryBackend beyond the contract", () => {
  it("keeps separate instances apart unless they share a store", async () => {
    const a = new MemoryBackend();
    const b = new MemoryBackend();
    await a.setValue("key", 1);
    expect(await b.hasValue("key")).toBe(false);
    expect(await new MemoryBackend({ store: a.store }).getValue("key")).toBe(1);
  });

  it("rejects a value its serializer cannot encode and stores nothing", async () => {
    const backend = new MemoryBackend();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const message = queuedMessage("q", { data: { kwargs: circular } });
    await expect(backend.submit([queuedMessage("q"), message])).rejects.toBeInstanceOf(ValidationError);
    expect(await backend.countQueue("q")).toEqual({ ready: 0, delayed: 0, active: 0, dead: 0 });
    await expect(backend.setValue("key", circular)).rejects.toBeInstanceOf(ValidationError);
  });

  it("round-trips rich values through the serializer it was given", async () => {
    const backend = new MemoryBackend({ serializer: new SuperJsonSerializer() });
    const value = { when: new Date(0), ids: new Set([1, 2]), big: 10n };
    await backend.setValue("rich", value);
    expect(await backend.getValue("rich")).toEqual(value);
  });

  it("rejects invalid priorities, limits and lease lengths with ValidationError", async () => {
    const backend = new MemoryBackend();
    await expect(backend.submit([queuedMessage("q", { priority: -1 })])).rejects.toBeInstanceOf(ValidationError);
    await expect(backend.submit([queuedMessage("q", { priority: 1.5 })])).rejects.toBeInstanceOf(ValidationError);
    await expect(backend.claim({ queues: ["q"], limit: 0, leaseMs: 1_000 })).rejects.toBeInstanceOf(ValidationError);
    await expect(backend.claim({ queues: ["q"], limit: 1, leaseMs: 0 })).rejects.toBeInstanceOf(ValidationError);
    const mismatched = { ...queuedMessage("q"), uuid: "another-uuid" };
    await expect(backend.submit([mismatched])).rejects.toBeInstanceOf(ValidationError);
  });

  it("refuses every call after close, while a backend on the same store keeps the data", async () => {
    const backend = new MemoryBackend();
    const message = queuedMessage("q");
    await backend.submit([message]);
    const watcher = backend.watch(["q"]);
    const pending = watcher.waitForChange(watcher.version, 60_000);
    await backend.close();
    await pending;
    await expect(backend.getMessage(message)).rejects.toBeInstanceOf(BackendError);
    expect(await new MemoryBackend({ store: backend.store }).getMessage(message)).toEqual(message.data);
  });

  it("claims from a deep backlog by taking the head, without reordering the rest", async () => {
    const backend = new MemoryBackend();
    const messages = Array.from({ length: 20_000 }, (_, index) => queuedMessage("deep", { priority: (index * 7) % 5 }));
    await backend.submit(messages);
    const first = await backend.claim({ queues: ["deep"], limit: 3, leaseMs: 60_000 });
    const expected = messages.filter((message) => message.priority === 0).slice(0, 3);
    expect(first.messages.map((claimed) => claimed.lease.uuid)).toEqual(expected.map((message) => message.uuid));
    expect(await backend.countQueue("deep")).toEqual({ ready: 19_997, delayed: 0, active: 3, dead: 0 });
  });
});
