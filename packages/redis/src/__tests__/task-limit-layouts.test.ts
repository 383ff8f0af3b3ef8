// claim.lua reads a message's task name from the head of its stored data, without decoding it:
// both serializers' layouts must be recognised, or a task limit would silently not apply.
import { randomUUID } from "node:crypto";
import { JsonSerializer, SuperJsonSerializer, type Serializer } from "@alsek/core";
import { queuedMessage } from "@alsek/backend-conformance";
import { startRedisServer, type RedisServer } from "@alsek/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisBackend } from "../index.js";

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server?.stop();
});

const serializers: [string, Serializer][] = [
  ["JsonSerializer", new JsonSerializer()],
  ["SuperJsonSerializer", new SuperJsonSerializer()],
];

describe("task rate limits in claim.lua", () => {
  for (const [name, serializer] of serializers) {
    it(`finds the task name of messages stored by ${name}`, async () => {
      const backend = new RedisBackend(server.url, { namespace: `layout_${randomUUID().slice(0, 8)}`, serializer });
      try {
        await backend.setRateLimit("q", { max: 1, durationMs: 60_000 }, "slow");
        const slow = [0, 1].map(() => queuedMessage("q", { data: { taskName: "slow", args: [new Date(0)] as never } }));
        const fast = queuedMessage("q", { data: { taskName: "fast" } });
        if (name === "JsonSerializer") for (const m of slow) m.data.args = [1];
        await backend.submit([...slow, fast]);
        const claimed = await backend.claim({ queues: ["q"], limit: 10, leaseMs: 60_000 });
        expect(claimed.messages.map((m) => m.lease.uuid)).toEqual([slow[0]!.uuid, fast.uuid]);
        expect(await backend.countQueue("q")).toMatchObject({ delayed: 1, active: 2 });
      } finally {
        await backend.clear();
        await backend.close();
      }
    });
  }
});
