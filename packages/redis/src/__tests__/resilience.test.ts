import { randomUUID } from "node:crypto";
import { BackendError, type ClaimedMessage } from "@alsek/core";
import { queuedMessage } from "@alsek/backend-conformance";
import { freePort, startRedisServer, type RedisServer } from "@alsek/test-support";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RedisBackend } from "../index.js";
import { drainQueue } from "./drain.js";

let server: RedisServer;
const backends: RedisBackend[] = [];

function backend(namespace = `t_${randomUUID().slice(0, 8)}`): RedisBackend {
  const made = new RedisBackend(server.url, { namespace });
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

describe("RedisBackend resilience", () => {
  it("opens no connection until first used", async () => {
    const b = new RedisBackend("redis://127.0.0.1:1");
    expect(b.client.status).toBe("wait");
    await b.close();
  });

  it("loses nothing when its connection is killed mid-stream (CLIENT KILL) and the consumer resumes", async () => {
    const b = backend();
    const messages = Array.from({ length: 300 }, () => queuedMessage("jobs"));
    await b.submit(messages);
    const admin = server.client();
    const done = await drainQueue(b, "jobs", messages.length, async (round) => {
      if (round === 5 || round === 12) await admin.call("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
    });
    admin.disconnect();
    expect(done).toEqual(new Set(messages.map((m) => m.uuid)));
    // A claim whose reply was lost is re-sent and handed what it leased; nothing is left anywhere.
    await expect.poll(() => drainLeftovers(b, "jobs"), { timeout: 10_000 }).toEqual({ ready: 0, delayed: 0, active: 0, dead: 0 });
  });

  it("keeps every queued message across a Redis restart and the consumer resumes", async () => {
    const b = backend();
    const messages = Array.from({ length: 100 }, () => queuedMessage("jobs"));
    await b.submit(messages);
    const done = await drainQueue(b, "jobs", messages.length, async (round) => {
      if (round === 3) await server.restart();
    });
    expect(done).toEqual(new Set(messages.map((m) => m.uuid)));
  });

  it("re-runs scripts after the server forgot them (SCRIPT FLUSH)", async () => {
    const b = backend();
    await b.submit([queuedMessage("jobs")]);
    const admin = server.client();
    await admin.call("SCRIPT", "FLUSH");
    admin.disconnect();
    const { messages } = await b.claim({ queues: ["jobs"], limit: 5, leaseMs: 1_000 });
    expect(messages).toHaveLength(1);
  });

  it("re-claims a message whose lease expired and rejects the stale holder's completion", async () => {
    const b = backend();
    const message = queuedMessage("jobs");
    await b.submit([message]);
    const first = await b.claim({ queues: ["jobs"], limit: 1, leaseMs: 50 });
    const stale = first.messages[0]!.lease;
    let second: ClaimedMessage | undefined;
    while (second === undefined) {
      second = (await b.claim({ queues: ["jobs"], limit: 1, leaseMs: 60_000 })).messages[0];
    }
    expect(second.expiredLeases).toBe(1);
    expect(second.lease.token).not.toBe(stale.token);
    expect((await b.countQueue("jobs")).active).toBe(1);
    expect(await b.ack(stale)).toBe("lost");
    expect(await b.fail(stale, message.data, 60_000)).toBe("lost");
    expect(await b.getMessage(message)).toEqual(message.data);
    expect(await b.ack(second.lease)).toBe("ok");
  });

  it("rejects calls on an unreachable Redis with a BackendError naming the server, not hanging", async () => {
    const port = await freePort();
    const b = new RedisBackend(`redis://127.0.0.1:${port}`, { redisOptions: { maxRetriesPerRequest: 1 } });
    const failure = b.submit([queuedMessage("jobs")]);
    await expect(failure).rejects.toBeInstanceOf(BackendError);
    await expect(failure).rejects.toThrow(`Redis submit failed (127.0.0.1:${port}): `);
    await b.close();
  });
});

async function drainLeftovers(b: RedisBackend, queue: string) {
  const { messages } = await b.claim({ queues: [queue], limit: 100, leaseMs: 60_000 });
  for (const m of messages) await b.ack(m.lease);
  return b.countQueue(queue);
}
