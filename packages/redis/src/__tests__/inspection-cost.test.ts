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

describe("RedisBackend inspection cost", () => {
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
});
