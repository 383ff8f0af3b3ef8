import { ValidationError } from "@alsek/core";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { messageData, queued } from "./__fixtures__/message-data.js";
import { tempDirectory } from "./__fixtures__/temp-database.js";
import { SqliteBackend } from "./index.js";

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

const claimAll = (queues: string[], limit = 100, leaseMs = 60_000) =>
  backend.claim({ queues, limit, leaseMs });

describe("submit", () => {
  it("reports created, then duplicate for a replay and conflict for different data", async () => {
    const message = queued("q", "a", { args: [1] });
    expect(await backend.submit([message])).toEqual(["created"]);
    expect(await backend.submit([message])).toEqual(["duplicate"]);
    expect(await backend.submit([queued("q", "a", { args: [2] })])).toEqual(["conflict"]);
    expect((await backend.getMessage({ queue: "q", uuid: "a" }))?.args).toEqual([1]);
  });

  it("rejects invalid queue names before writing anything", async () => {
    await expect(backend.submit([queued("q", "a"), queued("bad queue", "b")])).rejects.toThrow(
      ValidationError,
    );
    expect(await backend.getMessage({ queue: "q", uuid: "a" })).toBeNull();
  });
});

describe("argument checks", () => {
  it("refuses to retry or fail a message with another message's data", async () => {
    await backend.submit([queued("q", "a"), queued("q", "b")]);
    const [a, b] = (await claimAll(["q"])).messages;
    await expect(backend.retry(a!.lease, b!.data, 0)).rejects.toThrow(/belongs to another message/);
    await expect(backend.fail(a!.lease, b!.data, 1_000)).rejects.toThrow(ValidationError);
    expect(await backend.ack(a!.lease)).toBe("ok");
  });

  it("refuses a non-positive lease", async () => {
    await expect(claimAll(["q"], 1, 0)).rejects.toThrow(ValidationError);
  });
});

describe("claim", () => {
  it("takes lower priority first, then arrival order, and queues in the order given", async () => {
    await backend.submit([
      queued("second", "s1"),
      queued("first", "f-late", { priority: 1 }),
      queued("first", "f1"),
      queued("first", "f2"),
    ]);
    const { messages } = await claimAll(["first", "second"], 3);
    expect(messages.map((m) => m.lease.uuid)).toEqual(["f1", "f2", "f-late"]);
    const rest = await claimAll(["first", "second"]);
    expect(rest.messages.map((m) => m.lease.uuid)).toEqual(["s1"]);
  });

  it("matches queue names exactly", async () => {
    await backend.submit([queued("q10", "x")]);
    expect((await claimAll(["q1"])).messages).toEqual([]);
  });

  it("does not claim a delayed message before its readyAt and says when it is due", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(1_000_000);
    await backend.submit([queued("q", "later", { readyAt: 1_005_000 })]);
    const early = await claimAll(["q"]);
    expect(early.messages).toEqual([]);
    expect(early.nextReadyInMs).toBe(5_000);
    vi.setSystemTime(1_005_000);
    expect((await claimAll(["q"])).messages.map((m) => m.lease.uuid)).toEqual(["later"]);
  });

  it("returns nextReadyInMs null when nothing is pending and when the limit was reached", async () => {
    expect((await claimAll(["q"])).nextReadyInMs).toBeNull();
    await backend.submit([queued("q", "a"), queued("q", "b", { readyAt: Date.now() + 60_000 })]);
    expect((await claimAll(["q"], 1)).nextReadyInMs).toBeNull();
  });

  it("makes a message claimable again once its lease expires, counting the expiry", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(2_000_000);
    await backend.submit([queued("q", "a")]);
    const first = await claimAll(["q"], 1, 1_000);
    expect(first.messages[0]?.expiredLeases).toBe(0);
    const blocked = await claimAll(["q"]);
    expect(blocked.messages).toEqual([]);
    expect(blocked.nextReadyInMs).toBe(1_000);
    vi.setSystemTime(2_001_000);
    const second = await claimAll(["q"]);
    expect(second.messages[0]?.expiredLeases).toBe(1);
    expect(second.messages[0]?.data.retries).toBe(0);
    expect(await backend.ack(first.messages[0]!.lease)).toBe("lost");
    expect(await backend.ack(second.messages[0]!.lease)).toBe("ok");
  });

  it("reads indexes instead of scanning the queue", async () => {
    const db = new Database(dir.path("plan.db"));
    const plans = new SqliteBackend(db);
    await plans.countQueue("q");
    const planOf = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
        .map((row) => row.detail)
        .join("\n");
    const take = planOf(
      `SELECT uuid FROM alsek_messages WHERE ns = 'alsek' AND queue = 'q' AND state = 'ready'
       ORDER BY priority, seq LIMIT 5`,
    );
    expect(take).toMatch(/USING (COVERING )?INDEX alsek_messages_by_order/);
    expect(take).not.toMatch(/TEMP B-TREE/);
    const promote = planOf(
      `UPDATE alsek_messages SET state = 'ready' WHERE ns = 'alsek' AND queue = 'q'
       AND state = 'delayed' AND due_at <= 5`,
    );
    expect(promote).toMatch(/INDEX alsek_messages_by_due .*due_at<\?/);
    await plans.close();
    db.close();
  });
});

describe("fenced writes", () => {
  it("renews only the current lease and reports gone messages", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(3_000_000);
    await backend.submit([queued("q", "a")]);
    const [claimed] = (await claimAll(["q"], 1, 1_000)).messages;
    expect(await backend.renew([claimed!.lease], 10_000)).toEqual(["ok"]);
    vi.setSystemTime(3_005_000);
    expect((await claimAll(["q"])).messages).toEqual([]);
    expect(await backend.renew([{ ...claimed!.lease, token: "other" }], 1_000)).toEqual(["lost"]);
    await backend.remove({ queue: "q", uuid: "a" });
    expect(await backend.renew([claimed!.lease], 1_000)).toEqual(["gone"]);
  });

  it("puts a released message back at its original place (once, however often the release is re-sent)", async () => {
    await backend.submit([queued("q", "a"), queued("q", "b")]);
    const [a] = (await claimAll(["q"], 1)).messages;
    expect(await backend.release(a!.lease)).toBe("ok");
    expect(await backend.release(a!.lease)).toBe("ok");
    expect(await backend.ack(a!.lease)).toBe("lost");
    expect((await claimAll(["q"])).messages.map((m) => m.lease.uuid)).toEqual(["a", "b"]);
  });

  it("retries with new data, delayed until readyAt", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(4_000_000);
    await backend.submit([queued("q", "a")]);
    const [a] = (await claimAll(["q"])).messages;
    const data = { ...a!.data, retries: 1 };
    expect(await backend.retry(a!.lease, data, 4_002_000)).toBe("ok");
    expect(await backend.countQueue("q")).toEqual({ ready: 0, delayed: 1, active: 0, dead: 0 });
    vi.setSystemTime(4_002_000);
    const [again] = (await claimAll(["q"])).messages;
    expect(again?.data.retries).toBe(1);
    expect(again?.expiredLeases).toBe(0);
  });

  it("applies bare-ref writes whatever the state, and fences the old lease afterwards", async () => {
    await backend.submit([queued("q", "a")]);
    const [a] = (await claimAll(["q"])).messages;
    expect(await backend.retry({ queue: "q", uuid: "a" }, a!.data, 0)).toBe("ok");
    expect(await backend.ack(a!.lease)).toBe("lost");
    expect(await backend.ack({ queue: "q", uuid: "a" })).toBe("ok");
    expect(await backend.ack({ queue: "q", uuid: "a" })).toBe("gone");
  });

  it("dead-letters a failed message until its TTL, then forgets it", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(5_000_000);
    await backend.submit([queued("q", "a"), queued("q", "b")]);
    const [a, b] = (await claimAll(["q"])).messages;
    const failed = messageData({ queue: "q", uuid: "a", retries: 3 });
    expect(await backend.fail(a!.lease, failed, 10_000)).toBe("ok");
    expect(await backend.fail(b!.lease, b!.data, null)).toBe("ok");
    expect(await backend.getMessage({ queue: "q", uuid: "a" })).toBeNull();
    expect((await backend.getDeadLetter({ queue: "q", uuid: "a" }))?.retries).toBe(3);
    expect(await backend.getDeadLetter({ queue: "q", uuid: "b" })).toBeNull();
    expect((await backend.countQueue("q")).dead).toBe(1);
    vi.setSystemTime(5_010_000);
    expect(await backend.getDeadLetter({ queue: "q", uuid: "a" })).toBeNull();
    expect((await backend.countQueue("q")).dead).toBe(0);
  });
});

describe("operators", () => {
  it("counts each state and lists queues that received messages", async () => {
    await backend.submit([
      queued("q", "a"),
      queued("q", "b"),
      queued("q", "c", { readyAt: Date.now() + 60_000 }),
      queued("other", "d"),
    ]);
    await claimAll(["q"], 1);
    expect(await backend.countQueue("q")).toEqual({ ready: 1, delayed: 1, active: 1, dead: 0 });
    expect(await backend.listQueues()).toEqual(["other", "q"]);
  });

  it("keeps namespaces apart in one file", async () => {
    const other = new SqliteBackend(dir.path(), { namespace: "other" });
    await backend.submit([queued("q", "a")]);
    await backend.setValue("k", 1);
    expect((await other.claim({ queues: ["q"], limit: 5, leaseMs: 1000 })).messages).toEqual([]);
    expect(await other.getValue("k")).toBeUndefined();
    expect(await other.listQueues()).toEqual([]);
    expect(await other.clear()).toBe(0);
    expect(await backend.getMessage({ queue: "q", uuid: "a" })).not.toBeNull();
    await other.close();
  });
});
