import { randomUUID } from "node:crypto";
import { Broker, Consumer, Task, TaskStatus, runInline, type Message } from "@alsek/core";
import { RedisBackend } from "@alsek/redis";
import { startRedisServer, type RedisServer } from "@alsek/test-support";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ResultStore, StatusTracker } from "./index.js";

/** Enough messages that connection kills every 300 ms land on acks in flight many times over. */
const MESSAGES = 5_000;
/** Messages run at once, as a pool's slots would. */
const CONCURRENCY = 200;
const KILL_EVERY_MS = 300;

let server: RedisServer;

beforeAll(async () => {
  server = await startRedisServer();
});

afterAll(async () => {
  await server?.stop();
});

/** Counts its successes per message: the settler must run `onSuccess` once per completed attempt. */
class CountingTask extends Task {
  readonly successes = new Map<string, number>();
  override onSuccess(message: Message): void {
    this.successes.set(message.uuid, (this.successes.get(message.uuid) ?? 0) + 1);
  }
}

it("settles every message exactly once while its connections are killed every 300 ms: all SUCCEEDED, onSuccess once, none lost", async () => {
  const backend = new RedisBackend(server.url, { namespace: `kills-${randomUUID().slice(0, 8)}` });
  const broker = new Broker(backend);
  const statusTracker = new StatusTracker(backend);
  const resultStore = new ResultStore(backend);
  const double = new CountingTask(broker, (n: number) => n * 2, {
    name: "kills_double",
    queue: "kills",
    statusTracker,
    resultStore,
    moduleUrl: null,
  });
  const messages = await double.generateMany(Array.from({ length: MESSAGES }, (_, i) => ({ args: [i] })));
  // A short lease: a claim whose reply was lost holds its messages until it expires.
  const consumer = new Consumer(broker, { queues: ["kills"], leaseMs: 2_000, maxIdleWaitMs: 200 });
  const admin = server.client();
  let kills = 0;
  const killer = setInterval(() => {
    void admin.call("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes").then(() => (kills += 1), () => undefined);
  }, KILL_EVERY_MS);
  const deadline = Date.now() + 45_000;
  try {
    for (;;) {
      if (Date.now() > deadline) throw new Error(`drained only ${double.successes.size} of ${MESSAGES} messages in time`);
      try {
        const claimed = await consumer.claim(CONCURRENCY);
        await Promise.all(claimed.map((message) => runInline(double as Task, message)));
        if (claimed.length > 0) continue;
        const counts = await backend.countQueue("kills");
        if (counts.ready + counts.delayed + counts.active === 0) break;
        await consumer.waitForWork();
      } catch {
        // A call that failed outright: its messages come back when their leases expire.
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  } finally {
    clearInterval(killer);
    admin.disconnect();
    await consumer.close();
  }
  expect(kills).toBeGreaterThan(0);
  const statuses = await Promise.all(messages.map(async (message) => (await statusTracker.get(message)).status));
  const notSucceeded = messages.filter((_, i) => statuses[i] !== TaskStatus.SUCCEEDED).map((m) => m.uuid);
  expect(notSucceeded).toEqual([]);
  const notOnce = messages.filter((message) => double.successes.get(message.uuid) !== 1).map((m) => m.uuid);
  expect(notOnce).toEqual([]);
  expect(await backend.countQueue("kills")).toEqual({ ready: 0, delayed: 0, active: 0, dead: 0 });
  await backend.close();
}, 90_000);
