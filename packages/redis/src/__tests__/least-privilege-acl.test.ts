// The conformance suite as the README's least-privilege ACL user: if the backend starts using a
// command the README's ACL line does not grant, this fails with NOPERM.
import { describeBackendConformance } from "@alsek/backend-conformance";
import { startRedisServer, type RedisServer } from "@alsek/test-support";
import { afterAll, beforeAll, expect, it, vi, type MockInstance } from "vitest";
import { RedisBackend } from "../index.js";
import { createLeastPrivilegeUser } from "./least-privilege-acl.js";

const PASSWORD = "least-privilege-pw";
let server: RedisServer;
let url: string;
let warn: MockInstance<typeof console.warn>;

beforeAll(async () => {
  warn = vi.spyOn(console, "warn");
  server = await startRedisServer();
  const admin = server.client();
  const user = await createLeastPrivilegeUser(admin, PASSWORD);
  admin.disconnect();
  url = `redis://${user}:${PASSWORD}@127.0.0.1:${server.port}`;
});

afterAll(async () => {
  warn.mockRestore();
  await server.stop();
});

describeBackendConformance(
  "RedisBackend as the README's least-privilege ACL user",
  // The README's patterns are for namespace `alsek`: every namespace of the suite lives under it.
  async ({ namespace, eventStreamLength }) => {
    const events = eventStreamLength === undefined ? false : { maxLength: eventStreamLength };
    const backend = new RedisBackend(url, { namespace: `alsek:${namespace}`, events });
    return {
      backend,
      cleanup: async () => {
        await backend.clear();
        await backend.close();
      },
    };
  },
  { supportsCrossProcessPubSub: true },
);

it("prints nothing outside Alsek's logs for a user that may not run INFO", async () => {
  const backend = new RedisBackend(url, { namespace: "alsek:quiet" });
  try {
    expect(await backend.countQueue("q")).toMatchObject({ ready: 0 });
  } finally {
    await backend.close();
  }
  expect(warn.mock.calls.flat().join("\n")).not.toContain("Skipping the ready check");
});
