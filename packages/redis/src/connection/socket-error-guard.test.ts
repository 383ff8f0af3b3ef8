import { createServer, type Server, type Socket } from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { RedisBackend } from "../index.js";

// A server that accepts and never answers: the client's socket stays open while the test makes it
// fail twice, as a TLS socket that fails its handshake can (ioredis#961).
let silent: Server;
let port = 0;
const accepted: Socket[] = [];

beforeAll(async () => {
  silent = createServer((socket) => accepted.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  port = (silent.address() as { port: number }).port;
});
afterAll(async () => {
  for (const socket of accepted) socket.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

describe("the sockets of a client the backend creates", () => {
  it("take a second error event without an uncaught exception", async () => {
    const backend = new RedisBackend(`redis://127.0.0.1:${port}`, { redisOptions: { retryStrategy: () => null } });
    const pending = backend.getValue("k").catch((error: unknown) => error);
    const client = backend.client as unknown as { stream?: Socket };
    await expect.poll(() => client.stream !== undefined).toBe(true);
    const stream = client.stream! as Socket;
    stream.emit("error", new Error("first failure"));
    expect(() => stream.emit("error", new Error("tlsv1 alert decode error"))).not.toThrow();
    stream.destroy();
    // ioredis saw the first error as usual: without retries the pending command fails with it.
    expect(await pending).toBeInstanceOf(Error);
    await backend.close();
  });

  it("guard the subscriber's first socket too, opened as the subscriber is made", async () => {
    // The subscriber connects from its constructor: a guard added after it missed that first
    // socket (CI saw an uncaught `tlsv1 alert decode error` from a watcher's subscriber).
    const duplicate = vi.spyOn(Redis.prototype, "duplicate");
    const backend = new RedisBackend(`redis://127.0.0.1:${port}`, { redisOptions: { retryStrategy: () => null } });
    try {
      const watcher = backend.watch(["q"]);
      await expect.poll(() => duplicate.mock.results.length).toBe(1);
      const subscriber = duplicate.mock.results[0]!.value as unknown as { stream?: Socket };
      await expect.poll(() => subscriber.stream !== undefined).toBe(true);
      const stream = subscriber.stream! as Socket;
      stream.emit("error", new Error("first failure"));
      expect(() => stream.emit("error", new Error("tlsv1 alert decode error"))).not.toThrow();
      stream.destroy();
      await watcher.close().catch(() => {});
    } finally {
      duplicate.mockRestore();
      await backend.close();
    }
  });
});
