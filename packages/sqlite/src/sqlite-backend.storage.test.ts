import { existsSync } from "node:fs";
import { BackendError, ValidationError, resultChannel } from "@alsek/core";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { queued } from "./__fixtures__/message-data.js";
import { tempDirectory } from "./__fixtures__/temp-database.js";
import { SCHEMA_VERSION, SqliteBackend } from "./index.js";

let dir: ReturnType<typeof tempDirectory>;
let backend: SqliteBackend;

beforeEach(() => {
  dir = tempDirectory();
  backend = new SqliteBackend(dir.path());
});

afterEach(async () => {
  vi.useRealTimers();
  await backend.close();
  dir.remove();
});

describe("results", () => {
  it("stores the result and enqueues the callback in the same ack", async () => {
    await backend.submit([queued("q", "a")]);
    const [a] = (await backend.claim({ queues: ["q"], limit: 1, leaseMs: 60_000 })).messages;
    const outcome = await backend.ack(a!.lease, {
      result: { value: { sum: 3 }, ttlMs: null, progenitorUuid: null },
      callback: queued("q", "cb"),
    });
    expect(outcome).toBe("ok");
    expect(await backend.getResults([{ queue: "q", uuid: "a" }], { keep: true })).toEqual([
      { uuid: "a", value: { sum: 3 } },
    ]);
    expect(await backend.getMessage({ queue: "q", uuid: "cb" })).not.toBeNull();
    expect(await backend.getMessage({ queue: "q", uuid: "a" })).toBeNull();
  });

  it("writes neither result nor callback when the lease was lost", async () => {
    await backend.submit([queued("q", "a")]);
    const [a] = (await backend.claim({ queues: ["q"], limit: 1, leaseMs: 60_000 })).messages;
    await backend.release(a!.lease);
    const outcome = await backend.ack(a!.lease, {
      result: { value: 1, ttlMs: null, progenitorUuid: null },
      callback: queued("q", "cb"),
    });
    expect(outcome).toBe("lost");
    expect(await backend.getResults([{ queue: "q", uuid: "a" }], { keep: true })).toEqual([null]);
    expect(await backend.getMessage({ queue: "q", uuid: "cb" })).toBeNull();
  });

  it("deletes results on read unless asked to keep them", async () => {
    await backend.setResult({ queue: "q", uuid: "a" }, { value: 1, ttlMs: null, progenitorUuid: null });
    const refs = [{ queue: "q", uuid: "a" }, { queue: "q", uuid: "missing" }];
    expect(await backend.getResults(refs, { keep: true })).toEqual([{ uuid: "a", value: 1 }, null]);
    expect(await backend.getResults(refs, { keep: false })).toEqual([{ uuid: "a", value: 1 }, null]);
    expect(await backend.getResults(refs, { keep: true })).toEqual([null, null]);
  });

  it("indexes descendants by progenitor, oldest first, and forgets expired results", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(1_000_000);
    await backend.setResult({ queue: "q", uuid: "c1" }, { value: 1, ttlMs: null, progenitorUuid: "root" });
    vi.setSystemTime(1_000_010);
    await backend.setResult({ queue: "q", uuid: "c2" }, { value: 2, ttlMs: 100, progenitorUuid: "root" });
    await backend.setResult({ queue: "q", uuid: "x" }, { value: 3, ttlMs: null, progenitorUuid: "other" });
    expect(await backend.descendantResults("q", "root")).toEqual(["c1", "c2"]);
    expect(await backend.descendantResults("other-queue", "root")).toEqual([]);
    vi.setSystemTime(1_000_110);
    expect(await backend.descendantResults("q", "root")).toEqual(["c1"]);
    expect(await backend.getResults([{ queue: "q", uuid: "c2" }], { keep: true })).toEqual([null]);
    expect(
      await backend.deleteResults([{ queue: "q", uuid: "c1" }, { queue: "q", uuid: "c2" }]),
    ).toBe(1);
    expect(await backend.descendantResults("q", "root")).toEqual([]);
  });
});

describe("keyed values", () => {
  it("writes with nx, expires with ttl and keeps ttl when asked", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(1_000_000);
    expect(await backend.setValue("status:a", { s: 1 }, { ttlMs: 1_000 })).toBe(true);
    expect(await backend.setValue("status:a", 2, { nx: true })).toBe(false);
    expect(await backend.setValue("status:a", { s: 2 }, { keepTtl: true })).toBe(true);
    expect(await backend.getValue("status:a")).toEqual({ s: 2 });
    vi.setSystemTime(1_001_000);
    expect(await backend.getValue("status:a")).toBeUndefined();
    expect(await backend.hasValue("status:a")).toBe(false);
    expect(await backend.setValue("status:a", 3, { nx: true })).toBe(true);
    expect(await backend.setValue("status:a", 4)).toBe(true);
    vi.setSystemTime(1_100_000);
    expect(await backend.getValue("status:a")).toBe(4);
  });

  it("scans, counts and deletes keys by pattern", async () => {
    for (let i = 0; i < 1_200; i += 1) await backend.setValue(`status:${i}`, i);
    await backend.setValue("revoked:x", true);
    await backend.setValue("status:gone", 1, { ttlMs: 1 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const keys: string[] = [];
    for await (const key of backend.scanKeys("status:*")) keys.push(key);
    expect(keys).toHaveLength(1_200);
    expect(new Set(keys).size).toBe(1_200);
    expect(await backend.count("status:*")).toBe(1_200);
    expect(await backend.count()).toBe(1_201);
    expect(await backend.deleteValue("revoked:x", "status:0", "nope", "status:gone")).toBe(2);
    expect(await backend.count()).toBe(1_199);
  });

  it("rejects a non-positive ttl", async () => {
    await expect(backend.setValue("k", 1, { ttlMs: 0 })).rejects.toThrow(ValidationError);
  });
});

describe("locks", () => {
  it("holds a lock for its owner until released or expired", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(1_000_000);
    expect(await backend.acquireLock("job", "me", 1_000)).toBe(true);
    expect(await backend.acquireLock("job", "you", 1_000)).toBe(false);
    expect(await backend.acquireLock("job", "me", 5_000)).toBe(true);
    vi.setSystemTime(1_004_000);
    expect(await backend.lockHolder("job")).toBe("me");
    expect(await backend.releaseLock("job", "you")).toBe(false);
    expect(await backend.releaseLock("job", "me")).toBe(true);
    expect(await backend.lockHolder("job")).toBeNull();
    expect(await backend.acquireLock("job", "you", 1_000)).toBe(true);
    vi.setSystemTime(1_005_000);
    expect(await backend.acquireLock("job", "me", null)).toBe(true);
    vi.setSystemTime(9_000_000);
    expect(await backend.lockHolder("job")).toBe("me");
  });
});

describe("clear", () => {
  it("removes queues, dead letters, results, values and locks of the namespace", async () => {
    await backend.submit([queued("q", "a"), queued("q", "b")]);
    const [b] = (await backend.claim({ queues: ["q"], limit: 1, leaseMs: 60_000 })).messages;
    await backend.fail(b!.lease, b!.data, 60_000);
    await backend.setResult({ queue: "q", uuid: "r" }, { value: 1, ttlMs: null, progenitorUuid: null });
    await backend.setValue("k", 1);
    await backend.acquireLock("l", "me", null);
    expect(await backend.clear()).toBe(5);
    expect(await backend.listQueues()).toEqual([]);
    expect(await backend.countQueue("q")).toEqual({ ready: 0, delayed: 0, active: 0, dead: 0 });
    expect(await backend.count()).toBe(0);
    expect(await backend.lockHolder("l")).toBeNull();
  });
});

describe("opening", () => {
  it("opens the file only on first use and records the schema version", async () => {
    const path = dir.path("lazy.db");
    const lazy = new SqliteBackend(path);
    expect(existsSync(path)).toBe(false);
    await lazy.hasValue("k");
    const db = new Database(path, { readonly: true });
    expect(db.prepare("SELECT value FROM alsek_meta WHERE key = 'schema_version'").get()).toEqual({
      value: String(SCHEMA_VERSION),
    });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
    await lazy.close();
  });

  it("runs in memory without a file", async () => {
    const memory = new SqliteBackend(":memory:");
    await memory.submit([queued("q", "a")]);
    const { messages } = await memory.claim({ queues: ["q"], limit: 5, leaseMs: 1_000 });
    expect(messages.map((m) => m.lease.uuid)).toEqual(["a"]);
    await memory.close();
  });

  it("refuses a database written by a newer schema", async () => {
    const path = dir.path("newer.db");
    const first = new SqliteBackend(path);
    await first.hasValue("k");
    await first.close();
    const db = new Database(path);
    db.prepare("UPDATE alsek_meta SET value = '999' WHERE key = 'schema_version'").run();
    db.close();
    const newer = new SqliteBackend(path);
    await expect(newer.hasValue("k")).rejects.toThrow(/schema version 999/);
    await newer.close();
  });

  it("leaves a database it was given open, and refuses calls once closed", async () => {
    const db = new Database(":memory:");
    const given = new SqliteBackend(db, { namespace: "given" });
    await given.setValue("k", 1);
    await given.close();
    expect(db.open).toBe(true);
    await expect(given.getValue("k")).rejects.toThrow(BackendError);
    db.close();
  });

  it("publishes the uuid of a stored result on its family's channel", async () => {
    const received: unknown[] = [];
    const subscription = await backend.subscribe(resultChannel("root"), (value) => received.push(value));
    await backend.setResult({ queue: "q", uuid: "child" }, { value: 1, ttlMs: null, progenitorUuid: "root" });
    await vi.waitFor(() => expect(received).toEqual(["child"]));
    await subscription.unsubscribe();
  });
});
