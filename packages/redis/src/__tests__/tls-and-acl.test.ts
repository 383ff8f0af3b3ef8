import { BackendError } from "@alsek/core";
import { queuedMessage } from "@alsek/backend-conformance";
import { startRedisServer, type RedisServer } from "@alsek/test-support";
import { afterAll, beforeAll, expect, it } from "vitest";
import { RedisBackend } from "../index.js";

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer({ tls: true, aclUser: { name: "alsek_app", password: "p@ss w0rd" } });
});
afterAll(async () => {
  await server.stop();
});

it("works over rediss:// against a TLS-only server as an ACL user", async () => {
  expect(server.url.startsWith("rediss://alsek_app:")).toBe(true);
  const backend = new RedisBackend(server.url, { redisOptions: { tls: { ca: server.tls!.ca } } });
  try {
    const message = queuedMessage("secure");
    await backend.submit([message]);
    const { messages } = await backend.claim({ queues: ["secure"], limit: 1, leaseMs: 10_000 });
    expect(messages.map((m) => m.data)).toEqual([message.data]);
    expect(await backend.ack(messages[0]!.lease, { result: { value: 42, ttlMs: null, progenitorUuid: null } })).toBe("ok");
    expect(await backend.getResults([message], { keep: false })).toEqual([{ uuid: message.uuid, value: 42 }]);
    expect(await backend.client.call("ACL", "WHOAMI")).toBe("alsek_app");
  } finally {
    await backend.close();
  }
});

it("reports a wrong password as a BackendError", async () => {
  const url = `rediss://alsek_app:wrong@127.0.0.1:${server.port}`;
  const backend = new RedisBackend(url, {
    redisOptions: { tls: { ca: server.tls!.ca }, maxRetriesPerRequest: 0, retryStrategy: () => null },
  });
  backend.client.on("error", () => undefined);
  try {
    await expect(backend.countQueue("secure")).rejects.toBeInstanceOf(BackendError);
  } finally {
    await backend.close();
  }
});
