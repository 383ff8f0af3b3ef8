import { randomUUID } from "node:crypto";
import { Message } from "@alsek/core";
import { startRedisServer, type RedisServer } from "@alsek/test-support";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { RedisBackend } from "../index.js";

let server: RedisServer;

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.stop();
});

describe("RedisBackend submit and the producer's clock", () => {
  it("makes an undelayed message ready at once although the producer's clock runs a minute ahead of Redis's", async () => {
    const backend = new RedisBackend(server.url, { namespace: `t_${randomUUID().slice(0, 8)}` });
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 60_000 });
    try {
      const now = new Message({ taskName: "noop", queue: "q" });
      // Delayed by the producer's clock: it waits in delayed, whatever Redis's clock says.
      const later = new Message({ taskName: "noop", queue: "q", delay: 5_000 });
      expect(await backend.submit([now.toQueued(), later.toQueued()])).toEqual(["created", "created"]);
      expect(await backend.countQueue("q")).toEqual({ ready: 1, delayed: 1, active: 0, dead: 0 });
      const claimed = await backend.claim({ queues: ["q"], limit: 2, leaseMs: 60_000 });
      expect(claimed.messages.map((message) => message.data.uuid)).toEqual([now.uuid]);
    } finally {
      vi.useRealTimers();
      await backend.close();
    }
  });
});
