// What the Redis layout adds to the conformance suite's poison-message tests: a stored value whose
// score prefix is broken, and index entries whose message is gone. claim.lua must validate before
// it mutates, so neither can make a claim fail half-way or leave a message in no index.
import { randomUUID } from "node:crypto";
import { Message } from "@alsek/core";
import { startRedisServer, type RedisServer } from "@alsek/test-support";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { RedisBackend } from "../index.js";
import { KeyLayout } from "../keys/index.js";

let server: RedisServer;
const backends: RedisBackend[] = [];

function backend(): { backend: RedisBackend; keys: KeyLayout } {
  const made = new RedisBackend(server.url, { namespace: `t_${randomUUID().slice(0, 8)}` });
  backends.push(made);
  return { backend: made, keys: new KeyLayout(made.namespace) };
}

async function until(what: string, condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  server = await startRedisServer();
});
afterEach(async () => {
  vi.restoreAllMocks();
  for (const b of backends.splice(0)) {
    await b.clear();
    await b.close();
  }
});
afterAll(async () => {
  await server.stop();
});

describe("RedisBackend with corrupt storage", () => {
  it("dead-letters a due delayed message whose stored value lost its score prefix, leaving the rest claimable", async () => {
    const { backend: b, keys } = backend();
    const corrupt = new Message({ taskName: "t", queue: "q", delay: 150 });
    const good = new Message({ taskName: "t", queue: "q", delay: 150 });
    await b.submit([corrupt.toQueued(), good.toQueued()]);
    await b.client.set(keys.message("q", corrupt.uuid), "not a score{}");
    await until("both are due", async () => Date.now() > Math.max(corrupt.readyAt, good.readyAt) + 50);
    const claim = await b.claim({ queues: ["q"], limit: 10, leaseMs: 30_000 });
    expect(claim.messages.map((claimed) => claimed.lease.uuid)).toEqual([good.uuid]);
    expect(claim.rejected?.map((entry) => [entry.uuid, entry.error.field])).toEqual([[corrupt.uuid, "score"]]);
    const dead = await b.getDeadLetter(corrupt);
    expect(dead?.metadata?.rawPayload).toBe("not a score{}");
    expect(await b.countQueue("q")).toEqual({ ready: 0, delayed: 0, active: 1, dead: 1 });
  });

  it("dead-letters a message whose lease expired after its score prefix was broken, instead of failing the claim", async () => {
    const { backend: b, keys } = backend();
    const message = new Message({ taskName: "t", queue: "q" });
    await b.submit([message.toQueued()]);
    await b.claim({ queues: ["q"], limit: 1, leaseMs: 50 });
    await b.client.set(keys.message("q", message.uuid), "x");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const claim = await b.claim({ queues: ["q"], limit: 1, leaseMs: 30_000 });
    expect(claim.messages).toEqual([]);
    expect(claim.rejected?.[0]).toMatchObject({ uuid: message.uuid, error: { field: "score" } });
    expect(await b.countQueue("q")).toEqual({ ready: 0, delayed: 0, active: 0, dead: 1 });
    expect(await b.client.exists(keys.message("q", message.uuid))).toBe(0);
  });

  it("drops ready, delayed and active entries whose message is gone, with a warning, and claims them never again", async () => {
    const { backend: b, keys } = backend();
    const ready = new Message({ taskName: "t", queue: "q" });
    const delayed = new Message({ taskName: "t", queue: "q", delay: 100 });
    const active = new Message({ taskName: "t", queue: "q" });
    const good = new Message({ taskName: "t", queue: "q" });
    await b.submit([active.toQueued()]);
    await b.claim({ queues: ["q"], limit: 1, leaseMs: 50 });
    await b.submit([ready.toQueued(), delayed.toQueued(), good.toQueued()]);
    for (const gone of [ready, delayed, active]) await b.client.del(keys.message("q", gone.uuid));
    await new Promise((resolve) => setTimeout(resolve, 150));
    const warnings: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      warnings.push(String(chunk));
      return true;
    });
    const claim = await b.claim({ queues: ["q"], limit: 10, leaseMs: 30_000 });
    expect(claim.messages.map((claimed) => claimed.lease.uuid)).toEqual([good.uuid]);
    const dropped = warnings.filter((line) => line.includes("message is gone"));
    expect(dropped.map((line) => JSON.parse(line).uuid).sort()).toEqual([ready.uuid, delayed.uuid, active.uuid].sort());
    for (const index of [keys.ready("q"), keys.delayed("q")]) expect(await b.client.zcard(index)).toBe(0);
    expect(await b.client.zrange(keys.active("q"), "0", "-1")).toEqual([good.uuid]);
    expect(await b.client.hget(`${keys.queuePrefix("q")}lease`, active.uuid)).toBeNull();
    warnings.length = 0;
    expect((await b.claim({ queues: ["q"], limit: 10, leaseMs: 30_000 })).messages).toEqual([]);
    expect(warnings.filter((line) => line.includes("message is gone"))).toEqual([]);
  });
});
