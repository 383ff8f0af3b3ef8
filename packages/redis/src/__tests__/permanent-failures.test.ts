// Failures retrying cannot fix surface as PermanentBackendError with their real cause, without
// waiting for ioredis' retries to run out; transient ones stay BackendErrors.
import { BackendError, PermanentBackendError } from "@alsek/core";
import { startRedisServer, type RedisServer } from "@alsek/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisBackend } from "../index.js";

let tlsServer: RedisServer;
let plainServer: RedisServer;

beforeAll(async () => {
  [tlsServer, plainServer] = await Promise.all([startRedisServer({ tls: true }), startRedisServer()]);
  const admin = plainServer.client();
  // May connect, but touch only keys of another namespace.
  await admin.call("ACL", "SETUSER", "elsewhere", "on", ">pw", "resetkeys", "~other:*", "resetchannels", "&other:*", "+@all");
  admin.disconnect();
});

afterAll(async () => {
  await Promise.all([tlsServer?.stop(), plainServer?.stop()]);
});

async function claimFailure(url: string, redisOptions = {}): Promise<unknown> {
  const backend = new RedisBackend(url, { redisOptions });
  try {
    return await backend.claim({ queues: ["q"], limit: 1, leaseMs: 1_000 }).then(
      () => null,
      (error: unknown) => error,
    );
  } finally {
    await backend.close();
  }
}

describe("permanent failures", () => {
  it("a wrong password", async () => {
    const failure = await claimFailure(`redis://elsewhere:wrong@127.0.0.1:${plainServer.port}`);
    expect(failure).toBeInstanceOf(PermanentBackendError);
    expect((failure as Error).message).toContain("WRONGPASS");
  });

  it("an ACL that denies the namespace's keys", async () => {
    const failure = await claimFailure(`redis://elsewhere:pw@127.0.0.1:${plainServer.port}`);
    expect(failure).toBeInstanceOf(PermanentBackendError);
    expect((failure as Error).message).toContain("NOPERM");
  });

  it("TLS without the server's CA", async () => {
    const failure = await claimFailure(`rediss://127.0.0.1:${tlsServer.port}`);
    expect(failure).toBeInstanceOf(PermanentBackendError);
    expect((failure as Error).message).toMatch(/self-signed certificate.*redisOptions\.tls\.ca/);
  });

  it("redis:// against a TLS port", async () => {
    const failure = await claimFailure(`redis://127.0.0.1:${tlsServer.port}`);
    expect(failure).toBeInstanceOf(PermanentBackendError);
    expect((failure as Error).message).toContain("speaks TLS");
    expect((failure as Error).message).toContain("rediss://");
  });
});

describe("transient failures", () => {
  it("a refused connection stays a BackendError that names the last connection error", async () => {
    const failure = await claimFailure("redis://127.0.0.1:1", { maxRetriesPerRequest: 1 });
    expect(failure).toBeInstanceOf(BackendError);
    expect(failure).not.toBeInstanceOf(PermanentBackendError);
    expect((failure as Error).message).toContain("ECONNREFUSED");
  });
});
