import { randomUUID } from "node:crypto";
import { queuedMessage } from "@alsek/backend-conformance";
import { startRedisCluster, type RedisCluster } from "@alsek/test-support";
import type { Cluster } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RedisBackend } from "../index.js";

let cluster: RedisCluster;
let client: Cluster;
let backend: RedisBackend;

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3 });
  client = cluster.client();
});
afterEach(async () => {
  await backend.clear();
  await backend.close();
});
afterAll(async () => {
  client.disconnect();
  await cluster.stop();
});

function newBackend(): RedisBackend {
  backend = new RedisBackend(client, { namespace: `c_${randomUUID().slice(0, 8)}` });
  return backend;
}

/** Index of the master owning `key`'s slot. */
async function masterOf(key: string): Promise<string> {
  const slot = Number(await client.call("CLUSTER", "KEYSLOT", key));
  const ranges = (await client.call("CLUSTER", "SLOTS")) as [number, number, [string, number]][];
  const owner = ranges.find(([from, to]) => slot >= from && slot <= to)!;
  return `${owner[2][0]}:${owner[2][1]}`;
}

describe("RedisBackend on a 3-master cluster", () => {
  it("keeps each queue in one slot and spreads different queues across masters", async () => {
    const b = newBackend();
    const queues = Array.from({ length: 12 }, (_, i) => `queue${i}`);
    await b.submit(queues.map((q) => queuedMessage(q)));
    const owners = new Set<string>();
    for (const q of queues) {
      const keys = (await scanAll(`${b.namespace}:q:{${q}}:*`)).concat(`${b.namespace}:q:{${q}}:ready`);
      const masters = new Set(await Promise.all(keys.map(masterOf)));
      expect(masters.size).toBe(1);
      owners.add([...masters][0]!);
    }
    expect(owners.size).toBeGreaterThan(1);
  });

  it("enqueues a callback for a queue on another slot through the outbox right after ack", async () => {
    const b = newBackend();
    const parent = queuedMessage("parents");
    const parentMaster = await masterOf("{parents}");
    let childQueue = "children0";
    for (let i = 1; (await masterOf(`{${childQueue}}`)) === parentMaster; i += 1) childQueue = `children${i}`;
    const child = queuedMessage(childQueue);
    await b.submit([parent]);
    const { messages } = await b.claim({ queues: ["parents"], limit: 1, leaseMs: 10_000 });
    expect(await b.ack(messages[0]!.lease, { callback: child })).toBe("ok");
    expect(await b.getMessage(child)).toEqual(child.data);
    expect(await client.llen(`${b.namespace}:q:{parents}:outbox`)).toBe(0);
  });

  it("re-forwards an outbox entry left behind by a producer that died after its ack", async () => {
    const b = newBackend();
    const child = queuedMessage("orphans");
    const entry = { queue: "orphans", uuid: child.uuid, priority: 0, readyAt: 0, data: JSON.stringify(child.data), writtenAt: 0 };
    await client.rpush(`${b.namespace}:q:{parents}:outbox`, JSON.stringify(entry));
    await b.claim({ queues: ["parents"], limit: 1, leaseMs: 1_000 });
    await expect.poll(() => b.getMessage(child), { timeout: 5_000 }).toEqual(child.data);
    await expect.poll(() => client.llen(`${b.namespace}:q:{parents}:outbox`), { timeout: 5_000 }).toBe(0);
  });
});

async function scanAll(pattern: string): Promise<string[]> {
  const found: string[] = [];
  for (const node of client.nodes("master")) {
    let cursor = "0";
    do {
      const [next, keys] = await node.scan(cursor, "MATCH", pattern);
      cursor = next;
      found.push(...keys);
    } while (cursor !== "0");
  }
  return found;
}
