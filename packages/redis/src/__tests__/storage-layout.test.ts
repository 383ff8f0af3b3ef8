import { randomUUID } from "node:crypto";
import { Message } from "@alsek/core";
import { startRedisServer, type RedisServer } from "@alsek/test-support";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RedisBackend } from "../index.js";

let server: RedisServer;
const backends: RedisBackend[] = [];

function backend(): RedisBackend {
  const made = new RedisBackend(server.url, { namespace: `t_${randomUUID().slice(0, 8)}` });
  backends.push(made);
  return made;
}

beforeAll(async () => {
  server = await startRedisServer();
});
afterEach(async () => {
  for (const b of backends.splice(0)) await b.close();
});
afterAll(async () => {
  await server.stop();
});

describe("RedisBackend storage layout", () => {
  it("stores a queued message as one string key without its default fields", async () => {
    const b = backend();
    const message = new Message({ taskName: "noop", queue: "q" });
    await b.submit([message.toQueued()]);
    const key = `${b.namespace}:q:{q}:m:${message.uuid}`;
    expect(await b.client.type(key)).toBe("string");
    const stored = (await b.client.get(key))!;
    expect(stored).toMatch(/^\d{16}\{/);
    for (const field of ["kwargs", "metadata", "backoffSettings", "uuid", "queue"]) expect(stored).not.toContain(field);
    expect(await b.getMessage(message)).toEqual(message.data);
  });

  it("keeps lease tokens and expired-lease counts outside the message, and drops them on ack", async () => {
    const b = backend();
    const message = new Message({ taskName: "noop", queue: "q" });
    await b.submit([message.toQueued()]);
    const first = await b.claim({ queues: ["q"], limit: 1, leaseMs: 1 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await b.claim({ queues: ["q"], limit: 1, leaseMs: 60_000 });
    expect(second.messages[0]?.expiredLeases).toBe(1);
    expect(second.messages[0]?.data).toEqual(message.data);
    const prefix = `${b.namespace}:q:{q}:`;
    expect(await b.client.hget(`${prefix}lease`, message.uuid)).toBe(second.messages[0]?.lease.token);
    expect(await b.ack(first.messages[0]!.lease)).toBe("lost");
    expect(await b.ack(second.messages[0]!.lease)).toBe("ok");
    expect(await b.client.exists(`${prefix}exp`, `${prefix}m:${message.uuid}`)).toBe(0);
    // Only the pin that keeps the lease hash a hash table (see claim.lua) stays behind.
    expect(await b.client.hkeys(`${prefix}lease`)).toEqual([" hashtable"]);
    expect(await b.client.object("ENCODING", `${prefix}lease`)).toBe("hashtable");
  });

  it("says work is ready now when a claim dropped a message whose key was gone and ready ones remain", async () => {
    const b = backend();
    const messages = [0, 1, 2].map(() => new Message({ taskName: "noop", queue: "q" }));
    await b.submit(messages.map((message) => message.toQueued()));
    // The first message's key vanished (deleted by hand, evicted): its uuid is still in the ready set.
    await b.client.del(`${b.namespace}:q:{q}:m:${messages[0]!.uuid}`);
    const first = await b.claim({ queues: ["q"], limit: 2, leaseMs: 60_000 });
    expect(first.messages.map((claimed) => claimed.data.uuid)).toEqual([messages[1]!.uuid]);
    // Fewer than the limit, yet one is still ready: a consumer must claim again, not wait.
    expect(first.nextReadyInMs).toBe(0);
    const second = await b.claim({ queues: ["q"], limit: 2, leaseMs: 60_000 });
    expect(second.messages.map((claimed) => claimed.data.uuid)).toEqual([messages[2]!.uuid]);
    // Nothing ready is left: only the leases just taken, which expire in about a minute.
    expect(second.nextReadyInMs).toBeGreaterThan(1_000);
  });
  it("keeps ready messages of the default priority in a list of a few bytes each, the others in the ready zset", async () => {
    const b = backend();
    const prefix = `${b.namespace}:q:{q}:`;
    const plain = Array.from({ length: 1_000 }, () => new Message({ taskName: "noop", queue: "q" }));
    const urgent = new Message({ taskName: "noop", queue: "q", priority: 1 });
    await b.submit([...plain, urgent].map((message) => message.toQueued()));
    expect(await b.client.type(`${prefix}wait`)).toBe("list");
    expect(await b.client.lrange(`${prefix}wait`, 0, -1)).toEqual(plain.map((message) => message.uuid));
    expect(await b.client.zrange(`${prefix}ready`, "0", "-1")).toEqual([urgent.uuid]);
    // A list entry is the uuid and a byte or two; a zset entry costs ~110 bytes.
    const bytes = Number(await b.client.call("MEMORY", "USAGE", `${prefix}wait`, "SAMPLES", "0"));
    expect(bytes / plain.length).toBeLessThan(32);
    // A message made ready again (released, retried, due) goes to the zset at its place.
    const [claimed] = (await b.claim({ queues: ["q"], limit: 1, leaseMs: 60_000 })).messages;
    expect(claimed!.data.uuid).toBe(plain[0]!.uuid);
    expect(await b.release(claimed!.lease)).toBe("ok");
    expect(await b.client.zscore(`${prefix}ready`, plain[0]!.uuid)).toBe("1");
    const all = await b.claim({ queues: ["q"], limit: 2_000, leaseMs: 60_000 });
    expect(all.messages.map((message) => message.data.uuid)).toEqual([...plain, urgent].map((message) => message.uuid));
    expect(await b.client.exists(`${prefix}wait`, `${prefix}ready`)).toBe(0);
  });
});
