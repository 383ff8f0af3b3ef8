import { randomUUID } from "node:crypto";
import { Message } from "@alsek/core";
import { startRedisServer, type RedisServer } from "@alsek/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisBackend } from "../index.js";

let server: RedisServer;
let backend: RedisBackend;

beforeAll(async () => {
  server = await startRedisServer();
  backend = new RedisBackend(server.url, { namespace: `t_${randomUUID().slice(0, 8)}` });
});
afterAll(async () => {
  await backend.close();
  await server.stop();
});

/** Calls per command since the last `CONFIG RESETSTAT`, from `INFO commandstats`. */
async function commandCalls(): Promise<Map<string, number>> {
  const info = await backend.client.info("commandstats");
  const calls = new Map<string, number>();
  for (const match of info.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)) calls.set(match[1]!, Number(match[2]));
  return calls;
}

describe("RedisBackend inspection cost and keys", () => {
  it("serves a page from deep in a 20k backlog with a bounded number of commands and no keyspace scan", async () => {
    const queue = "deep";
    const readyAt = 4_000_000_000_000;
    // One score for every entry: the cursor's place is found by a binary search among them.
    const messages = Array.from({ length: 20_000 }, () => new Message({ taskName: "noop", queue }).toQueued());
    for (const message of messages) message.readyAt = readyAt;
    await backend.submit(messages);
    const sorted = messages.map((m) => m.uuid).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const first = await backend.listMessages(queue, { state: "delayed", order: "oldest", cursor: null, limit: 1_000 });
    const deeper = await backend.listMessages(queue, { state: "delayed", order: "oldest", cursor: first.nextCursor, limit: 1_000 });
    // The cursor's own entry is removed: its position must still be found, not rescanned.
    await backend.remove({ queue, uuid: deeper.items.at(-1)!.data.uuid });
    await backend.client.config("RESETSTAT");
    const page = await backend.listMessages(queue, { state: "delayed", order: "oldest", cursor: deeper.nextCursor, limit: 50 });
    const calls = await commandCalls();
    expect(page.items.map((item) => item.data.uuid)).toEqual(sorted.slice(2_000, 2_050));
    // log2(20 000) ≈ 15 probes, one ZRANGE for the page, one MGET, two ZCOUNTs, one ZCARD.
    expect(calls.get("zrange") ?? 0).toBeLessThanOrEqual(17);
    expect(calls.get("zcount") ?? 0).toBe(2);
    expect(calls.get("mget") ?? 0).toBe(1);
    for (const scan of ["scan", "keys", "zscan", "zrangebyscore", "sort"]) expect(calls.get(scan) ?? 0).toBe(0);
  });

  it("serves a page from deep in a 20k ready backlog, list and zset merged, with a bounded number of commands", async () => {
    const queue = "deep-ready";
    // Every tenth message delayed, then made ready now: to the ready zset at its arrival place,
    // between the wait list's entries.
    const messages = Array.from({ length: 20_000 }, (_, i) => {
      const message = new Message({ taskName: "noop", queue }).toQueued();
      if (i % 10 === 0) message.readyAt = 4_000_000_000_000;
      return message;
    });
    await backend.submit(messages);
    for (const [i, message] of messages.entries()) {
      if (i % 10 === 0) expect(await backend.readyNow(message)).toBe("ok");
    }
    const page0 = await backend.listMessages(queue, { state: "ready", order: "oldest", cursor: null, limit: 1_000 });
    const page1 = await backend.listMessages(queue, { state: "ready", order: "oldest", cursor: page0.nextCursor, limit: 1_000 });
    await backend.client.config("RESETSTAT");
    const page = await backend.listMessages(queue, { state: "ready", order: "oldest", cursor: page1.nextCursor, limit: 50 });
    const calls = await commandCalls();
    const claimed = (await backend.claim({ queues: [queue], limit: 2_050, leaseMs: 60_000 })).messages.map((m) => m.data.uuid);
    expect(claimed).toEqual(messages.slice(0, 2_050).map((m) => m.uuid));
    expect(page.items.map((item) => item.data.uuid)).toEqual(claimed.slice(2_000, 2_050));
    // log2(18 000) ≈ 15 probes of the list (LINDEX + GETRANGE each), log2(2 000) ≈ 11 of the zset.
    expect(calls.get("lindex") ?? 0).toBeLessThanOrEqual(16);
    expect(calls.get("getrange") ?? 0).toBeLessThanOrEqual(16);
    expect(calls.get("zrange") ?? 0).toBeLessThanOrEqual(13);
    expect(calls.get("lrange") ?? 0).toBe(1);
    expect(calls.get("mget") ?? 0).toBe(1);
    for (const scan of ["scan", "keys", "zscan", "zrangebyscore", "sort"]) expect(calls.get(scan) ?? 0).toBe(0);
  });

  it("keeps throughput counters in one hash per queue and minute that expires after an hour", async () => {
    const queue = "counted";
    const messages = Array.from({ length: 3 }, () => new Message({ taskName: "noop", queue }).toQueued());
    await backend.submit(messages);
    await Promise.all(messages.slice(0, 2).map((m) => backend.ack(m)));
    await backend.fail(messages[2]!, messages[2]!.data, null);
    const keys = await backend.client.keys(`${backend.namespace}:q:{${queue}}:tp:*`);
    expect(keys.length).toBeGreaterThanOrEqual(1);
    let completed = 0;
    let failed = 0;
    for (const key of keys) {
      const ttl = await backend.client.pttl(key);
      expect(ttl).toBeGreaterThan(60 * 60_000);
      expect(ttl).toBeLessThanOrEqual(61 * 60_000);
      const counts = await backend.client.hgetall(key);
      completed += Number(counts.c ?? 0);
      failed += Number(counts.f ?? 0);
    }
    expect({ completed, failed }).toEqual({ completed: 2, failed: 1 });
  });
});
