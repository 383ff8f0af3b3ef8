// RedisBackend's `logger` option: the backend's own records (dropped index entries, connection
// errors) go to it, in pino's shape, instead of the process-wide logger.
import { randomUUID } from "node:crypto";
import { Message, setLogger, type LogFields, type LogSink } from "@alsek/core";
import { startRedisServer, type RedisServer } from "@alsek/test-support";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { RedisBackend } from "../index.js";
import { KeyLayout } from "../keys/index.js";

let server: RedisServer;

beforeAll(async () => {
  server = await startRedisServer();
});
afterEach(() => {
  setLogger(null);
  vi.restoreAllMocks();
});
afterAll(async () => {
  await server.stop();
});

function recordingSink(): { sink: LogSink; records: { level: string; fields: LogFields; message: string }[] } {
  const records: { level: string; fields: LogFields; message: string }[] = [];
  const at = (level: string) => (fields: LogFields, message: string) => void records.push({ level, fields, message });
  return { sink: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") }, records };
}

describe("RedisBackend logger option", () => {
  it("sends a dropped queue entry's warning to its logger, with queue and uuid", async () => {
    const own = recordingSink();
    const global = recordingSink();
    setLogger(global.sink);
    const backend = new RedisBackend(server.url, { namespace: `t_${randomUUID().slice(0, 8)}`, logger: own.sink });
    try {
      const gone = new Message({ taskName: "t", queue: "q" });
      await backend.submit([gone.toQueued()]);
      await backend.client.del(new KeyLayout(backend.namespace).message("q", gone.uuid));
      await backend.claim({ queues: ["q"], limit: 1, leaseMs: 30_000 });
      expect(own.records).toEqual([
        {
          level: "warn",
          message: "Dropped a queue entry whose message is gone (no stored data); it will not be claimed again.",
          fields: { logger: "alsek.redis", queue: "q", uuid: gone.uuid },
        },
      ]);
      expect(global.records).toEqual([]);
    } finally {
      await backend.clear();
      await backend.close();
    }
  });

  it("sends connection errors of the clients it creates to its logger", async () => {
    const { sink, records } = recordingSink();
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const backend = new RedisBackend("redis://127.0.0.1:1", { logger: sink, redisOptions: { maxRetriesPerRequest: 1 } });
    try {
      await expect(backend.countQueue("q")).rejects.toThrow(/ECONNREFUSED/);
      expect(records).toContainEqual({
        level: "warn",
        message: "Redis connection error (127.0.0.1:1); ioredis keeps reconnecting.",
        fields: { logger: "alsek.redis", error: expect.stringContaining("ECONNREFUSED") },
      });
      expect(write.mock.calls.filter(([chunk]) => String(chunk).includes("alsek.redis"))).toEqual([]);
    } finally {
      await backend.close();
    }
  });

  it("refuses a logger without pino's methods", () => {
    expect(() => new RedisBackend(server.url, { logger: { info() {} } as never })).toThrow(
      /RedisBackend: `logger` must have debug, info, warn and error methods .* it has no debug method/,
    );
  });
});
