import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { queued } from "./__fixtures__/message-data.js";
import { tempDirectory } from "./__fixtures__/temp-database.js";
import { SqliteBackend } from "./index.js";

let dir: ReturnType<typeof tempDirectory>;
const opened: SqliteBackend[] = [];

const open = (source: string | Database.Database, pollIntervalMs = 50) => {
  const backend = new SqliteBackend(source, { pollIntervalMs });
  opened.push(backend);
  return backend;
};

beforeEach(() => {
  dir = tempDirectory();
});

afterEach(async () => {
  vi.useRealTimers();
  for (const backend of opened.splice(0)) await backend.close();
  dir.remove();
});

describe("queue watchers", () => {
  it("wake up for work submitted through another connection to the file", async () => {
    const consumer = open(dir.path());
    const producer = open(dir.path());
    const watcher = consumer.watch(["q"]);
    const version = watcher.version;
    const woken = watcher.waitForChange(version, 60_000);
    await producer.submit([queued("q", "a")]);
    await woken;
    expect(watcher.version).toBeGreaterThan(version);
    expect((await consumer.claim({ queues: ["q"], limit: 1, leaseMs: 1_000 })).messages).toHaveLength(1);
  });

  it("ignore commits to other queues and other namespaces", async () => {
    vi.useFakeTimers();
    const consumer = open(dir.path());
    const producer = open(dir.path());
    const stranger = new SqliteBackend(dir.path(), { namespace: "stranger" });
    opened.push(stranger);
    const watcher = consumer.watch(["q"]);
    const waiting = watcher.waitForChange(watcher.version, 1_000);
    await producer.submit([queued("other", "a")]);
    await stranger.submit([queued("q", "b")]);
    await vi.advanceTimersByTimeAsync(500);
    expect(watcher.version).toBe(0);
    await vi.advanceTimersByTimeAsync(600);
    await waiting;
    expect(watcher.version).toBe(0);
  });

  it("hear at once about work submitted by a backend sharing the same connection", async () => {
    vi.useFakeTimers();
    const db = new Database(dir.path());
    const first = open(db);
    const second = open(db, 60_000);
    const watcher = second.watch(["q"]);
    const woken = watcher.waitForChange(watcher.version, 120_000);
    await first.submit([queued("q", "a")]);
    await woken;
    expect(watcher.version).toBe(1);
    await first.close();
    await second.close();
    db.close();
  });

  it("read the database only while someone waits", async () => {
    vi.useFakeTimers();
    const db = new Database(dir.path());
    const backend = open(db, 50);
    const watcher = backend.watch(["q"]);
    const pragma = vi.spyOn(db, "pragma");
    await vi.advanceTimersByTimeAsync(1_000);
    expect(pragma).not.toHaveBeenCalled();
    const waiting = watcher.waitForChange(watcher.version, 1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    await waiting;
    const calls = pragma.mock.calls.length;
    expect(calls).toBeGreaterThan(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(pragma.mock.calls.length).toBe(calls);
    await backend.close();
    db.close();
  });
});

describe("pub/sub", () => {
  it("polls for published rows only while subscribed, and prunes old rows", async () => {
    vi.useFakeTimers();
    const db = new Database(dir.path());
    const subscriber = open(db);
    const publisher = new SqliteBackend(dir.path(), { pubSubRetentionMs: 5_000 });
    opened.push(publisher);
    const heard: unknown[] = [];
    const subscription = await subscriber.subscribe("news", (value) => heard.push(value));
    await publisher.publish("news", 1);
    await publisher.publish("news", 2);
    await vi.advanceTimersByTimeAsync(100);
    expect(heard).toEqual([1, 2]);
    expect(vi.getTimerCount()).toBe(1);
    await subscription.unsubscribe();
    expect(vi.getTimerCount()).toBe(0);
    await publisher.publish("news", 3);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(heard).toEqual([1, 2]);
    await vi.advanceTimersByTimeAsync(10_000);
    await publisher.publish("news", 4);
    const rows = db.prepare("SELECT value FROM alsek_pubsub ORDER BY id").all();
    expect(rows).toEqual([{ value: "4" }]);
    await subscriber.close();
    db.close();
  });
});
