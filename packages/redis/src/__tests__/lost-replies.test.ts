// A claim whose reply is lost in a disconnect is re-sent by ioredis when it reconnects. The re-send
// must hand over the messages the first run leased (which nobody else can claim until their lease
// expires) instead of leasing more and leaving the first ones held by nobody for leaseMs.
import { randomUUID } from "node:crypto";
import { queuedMessage } from "@alsek/backend-conformance";
import { startRedisServer, startReplyDroppingProxy, type RedisServer, type ReplyDroppingProxy } from "@alsek/test-support";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisBackend } from "../index.js";
import { KeyLayout } from "../keys/index.js";
import { ScriptSet } from "../lua/index.js";

const LEASE_MS = 60_000;

let server: RedisServer;
let proxy: ReplyDroppingProxy;

beforeAll(async () => {
  server = await startRedisServer();
  proxy = await startReplyDroppingProxy(server.port);
});
afterAll(async () => {
  await proxy?.close();
  await server?.stop();
});

/** The storage a test's writes go to: a direct backend and one through the proxy, one namespace. */
interface LostReplyBackends {
  direct: RedisBackend;
  proxied: RedisBackend;
}

/**
 * Runs `setUp` directly, then `write` through the proxy with the reply to the next command naming
 * `marker` lost (ioredis re-sends the call on reconnect), then `check` with what `write` was told;
 * returns that.
 */
async function withLostReply<T>(
  marker: (keys: KeyLayout) => string,
  write: (proxied: RedisBackend) => Promise<T>,
  setUp: (direct: RedisBackend) => Promise<unknown>,
  check: (told: T, backends: LostReplyBackends) => Promise<void> = async () => {},
): Promise<T> {
  const namespace = `lost_${randomUUID().slice(0, 8)}`;
  const direct = new RedisBackend(server.url, { namespace });
  const proxied = new RedisBackend(`redis://127.0.0.1:${proxy.port}`, { namespace });
  try {
    await setUp(direct);
    await proxied.countQueue("ops"); // connected through the proxy before the drop is armed
    const dropped = proxy.dropNextReplyTo(marker(new KeyLayout(namespace)));
    const told = await write(proxied);
    await dropped;
    await check(told, { direct, proxied });
    return told;
  } finally {
    await proxied.close();
    await direct.close();
  }
}

describe("a claim re-sent after its reply was lost", () => {
  it("hands the re-send the messages the first run leased, and leases nothing more", async () => {
    const messages = Array.from({ length: 3 }, () => queuedMessage("lostq"));
    await withLostReply(
      (keys) => keys.ready("lostq"),
      (proxied) => proxied.claim({ queues: ["lostq"], limit: 2, leaseMs: LEASE_MS }),
      (direct) => direct.submit(messages),
      async (claimed, { direct, proxied }) => {
        expect(claimed.messages.map((m) => m.data.uuid)).toEqual(messages.slice(0, 2).map((m) => m.uuid));
        expect(await direct.countQueue("lostq")).toEqual({ ready: 1, delayed: 0, active: 2, dead: 0 });
        for (const message of claimed.messages) expect(await proxied.ack(message.lease)).toBe("ok");
        expect(await direct.countQueue("lostq")).toEqual({ ready: 1, delayed: 0, active: 0, dead: 0 });
      },
    );
  });

  it("hands a re-sent claim with skipTasks what its first run leased, the skipped messages left in place", async () => {
    const ofTask = (taskName: string) => queuedMessage("lostq", { data: { taskName } });
    const messages = [ofTask("other"), ofTask("mine"), ofTask("other"), ofTask("mine"), ofTask("mine")];
    await withLostReply(
      (keys) => keys.ready("lostq"),
      (proxied) => proxied.claim({ queues: ["lostq"], limit: 2, leaseMs: LEASE_MS, skipTasks: ["other"] }),
      async (direct) => {
        for (const message of messages) await direct.submit([message]);
      },
      async (claimed, { direct }) => {
        expect(claimed.messages.map((m) => m.data.uuid)).toEqual([messages[1]!.uuid, messages[3]!.uuid]);
        expect(await direct.countQueue("lostq")).toEqual({ ready: 3, delayed: 0, active: 2, dead: 0 });
        const rest = await direct.claim({ queues: ["lostq"], limit: 10, leaseMs: LEASE_MS });
        expect(rest.messages.map((m) => m.data.uuid)).toEqual([messages[0]!.uuid, messages[2]!.uuid, messages[4]!.uuid]);
      },
    );
  });

  it("hands over only the messages still leased to it, each with its own lease", async () => {
    const namespace = `lost_${randomUUID().slice(0, 8)}`;
    const keys = new KeyLayout(namespace);
    const backend = new RedisBackend(server.url, { namespace });
    const client = new Redis(server.url);
    try {
      const messages = Array.from({ length: 3 }, () => queuedMessage("lostq"));
      await backend.submit(messages);
      const scripts = new ScriptSet(client);
      const run = () =>
        scripts.run(
          "claim",
          [keys.ready("lostq"), keys.delayed("lostq"), keys.active("lostq"), keys.outbox("lostq")],
          [3, LEASE_MS, "resent:", 100, 0, keys.queuePrefix("lostq")],
        ) as Promise<(string | number)[]>;
      const first = await run();
      expect(first.slice(3, 5)).toEqual([1, 3]);
      // The first message is gone (as if settled), the second is leased to someone else now.
      await client.hset(keys.lease("lostq"), messages[1]!.uuid, "someone-else:1");
      const acked = messages[0]!.uuid;
      await client.del(keys.message("lostq", acked));
      await client.zrem(keys.active("lostq"), acked);
      await client.hdel(keys.lease("lostq"), acked);
      const resent = await run();
      // Header (next, outbox length, dropped count), then queue 1 with one message, ranks following.
      expect(resent.slice(3, 6)).toEqual([1, 1, 3]);
      expect(resent[6]).toBe(messages[2]!.uuid);
      expect(resent[8]).toBe(0); // its expired-lease count
      expect(resent[9]).toBe(3); // its rank: its token is still "resent:3"
      expect(await client.hget(keys.lease("lostq"), messages[2]!.uuid)).toBe("resent:3");
      expect(await client.zcard(keys.ready("lostq"))).toBe(0);
    } finally {
      client.disconnect();
      await backend.close();
    }
  });
});

describe("a result take re-sent after its reply was lost", () => {
  it("hands the re-send the value the first run took, and the value is gone afterwards", async () => {
    const message = queuedMessage("results");
    await withLostReply(
      (keys) => keys.result("results", message.uuid),
      (proxied) => proxied.getResults([message], { keep: false }),
      (direct) => direct.setResult(message, { value: { answer: 42 }, ttlMs: null, progenitorUuid: null }),
      async (taken, { direct }) => {
        expect(taken).toEqual([{ uuid: message.uuid, value: { answer: 42 } }]);
        expect(await direct.getResults([message], { keep: true })).toEqual([null]);
      },
    );
  });
});

describe("an operator write re-sent after its reply was lost", () => {
  it("tells readyNow ok when the first run made the message ready", async () => {
    const message = queuedMessage("ops", { readyAt: Date.now() + 3_600_000 });
    const told = await withLostReply((keys) => keys.delayed("ops"), (b) => b.readyNow(message), (b) => b.submit([message]));
    expect(told).toBe("ok");
  });

  it("tells a bare remove ok when the first run removed the message", async () => {
    const message = queuedMessage("ops");
    const told = await withLostReply((keys) => keys.ready("ops"), (b) => b.remove(message), (b) => b.submit([message]));
    expect(told).toBe("ok");
  });

  it("tells setStatus true when the first run wrote the status, and a later equal-rank write still false", async () => {
    const key = "status:{ops}:lost-status";
    const write = { key, value: { status: "RUNNING", updatedAt: 1 }, rank: 3, ttlMs: 60_000, channel: null };
    let stored: unknown;
    let sameRankOther: boolean | undefined;
    const told = await withLostReply(
      (keys) => keys.value(key),
      (b) => b.setStatus(write),
      (b) => b.setStatus({ ...write, value: { status: "SUBMITTED", updatedAt: 0 }, rank: 1 }),
      async (_, { direct }) => {
        stored = await direct.getValue(key);
        sameRankOther = await direct.setStatus({ ...write, value: { status: "RUNNING", updatedAt: 2 } });
      },
    );
    expect(told).toBe(true);
    expect(stored).toEqual(write.value);
    expect(sameRankOther).toBe(false);
  });

  it("tells releaseLock true when the first run released the lock, which is then free", async () => {
    let holderAfter: string | null | undefined;
    let takenByOther: boolean | undefined;
    const told = await withLostReply(
      (keys) => keys.lock("nightly"),
      async (b) => {
        const released = await b.releaseLock("nightly", "owner-1");
        holderAfter = await b.lockHolder("nightly");
        takenByOther = await b.acquireLock("nightly", "owner-2", 60_000);
        return released;
      },
      (b) => b.acquireLock("nightly", "owner-1", 60_000),
    );
    expect(told).toBe(true);
    expect(holderAfter).toBeNull();
    expect(takenByOther).toBe(true);
  });

  it("tells deleteSchedule true when the first run deleted the schedule", async () => {
    const schedule = {
      queue: "ops",
      name: "nightly_report",
      trigger: JSON.stringify({ kind: "interval", intervalMs: 1_000 }),
      definition: "definition-1",
      revision: randomUUID(),
      message: queuedMessage("ops", { data: { taskName: "nightly_report", args: [], kwargs: {} } }),
      nextAt: 1_000_000,
      paused: false,
    };
    const told = await withLostReply(
      (keys) => keys.schedule("ops", "nightly_report"),
      (b) => b.deleteSchedule({ queue: "ops", name: "nightly_report" }),
      (b) => b.defineSchedule(schedule),
    );
    expect(told).toBe(true);
  });

  it("counts the dead letters and results the first run deleted", async () => {
    const letters = [queuedMessage("ops"), queuedMessage("ops")];
    const deadLetters = await withLostReply(
      (keys) => keys.dead("ops"),
      (b) => b.deleteDeadLetters("ops", letters.map((m) => m.uuid)),
      async (b) => {
        await b.submit(letters);
        const { messages } = await b.claim({ queues: ["ops"], limit: 2, leaseMs: LEASE_MS });
        for (const claimed of messages) await b.fail(claimed.lease, claimed.data, LEASE_MS);
      },
    );
    expect(deadLetters).toBe(2);
    const owners = [queuedMessage("ops"), queuedMessage("ops"), queuedMessage("ops")];
    const results = await withLostReply(
      (keys) => keys.result("ops", owners[0]!.uuid),
      (b) => b.deleteResults(owners),
      async (b) => {
        for (const owner of owners) await b.setResult(owner, { value: 1, ttlMs: null, progenitorUuid: null });
      },
    );
    expect(results).toBe(3);
  });
});
