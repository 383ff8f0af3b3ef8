// A pool stops at once when claiming fails in a way retrying cannot fix, and run() rejects with
// the cause; the claim loop no longer retries such failures forever.
// (Lives in packages/tests: it spans a pool package and the Redis backend.)
import { Broker, PermanentBackendError, task } from "@alsek/core";
import { RedisBackend } from "@alsek/redis";
import { startRedisServer, type RedisServer } from "@alsek/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ThreadWorkerPool } from "@alsek/worker-thread";

let tlsServer: RedisServer;
let plainServer: RedisServer;

beforeAll(async () => {
  [tlsServer, plainServer] = await Promise.all([startRedisServer({ tls: true }), startRedisServer()]);
  const admin = plainServer.client();
  await admin.call("ACL", "SETUSER", "elsewhere", "on", ">pw", "resetkeys", "~other:*", "resetchannels", "&other:*", "+@all");
  admin.disconnect();
});

afterAll(async () => {
  await Promise.all([tlsServer?.stop(), plainServer?.stop()]);
});

async function runFailure(name: string, url: string): Promise<unknown> {
  const backend = new RedisBackend(url);
  const probe = task(new Broker(backend), { name, queue: "permanent", mechanism: "thread" }, () => {});
  const pool = new ThreadWorkerPool({ tasks: [probe], nProcesses: 1, handleSignals: false });
  try {
    return await pool.run().then(
      () => null,
      (error: unknown) => error,
    );
  } finally {
    await backend.close();
  }
}

describe("ThreadWorkerPool on a backend it can never use", () => {
  it("rejects run() with the wrong password", async () => {
    const failure = await runFailure("wrongPassword", `redis://elsewhere:wrong@127.0.0.1:${plainServer.port}`);
    expect(failure).toBeInstanceOf(PermanentBackendError);
    expect((failure as Error).message).toContain("WRONGPASS");
  });

  it("rejects run() when an ACL denies the namespace's keys", async () => {
    const failure = await runFailure("deniedKeys", `redis://elsewhere:pw@127.0.0.1:${plainServer.port}`);
    expect(failure).toBeInstanceOf(PermanentBackendError);
    expect((failure as Error).message).toContain("NOPERM");
  });

  it("rejects run() over TLS without the server's CA", async () => {
    const failure = await runFailure("noCa", `rediss://127.0.0.1:${tlsServer.port}`);
    expect(failure).toBeInstanceOf(PermanentBackendError);
    expect((failure as Error).message).toContain("self-signed certificate");
  });
});
