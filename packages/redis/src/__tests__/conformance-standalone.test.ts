import { describeBackendConformance } from "@alsek/backend-conformance";
import { startRedisServer, type RedisServer } from "@alsek/test-support";
import { afterAll, beforeAll } from "vitest";
import { RedisBackend } from "../index.js";
import { replaceStoredRedisPayload } from "./replace-stored-payload.js";

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.stop();
});

describeBackendConformance(
  "RedisBackend (standalone)",
  async ({ namespace, eventStreamLength }) => {
    const events = eventStreamLength === undefined ? false : { maxLength: eventStreamLength };
    const backend = new RedisBackend(server.url, { namespace, events });
    return {
      backend,
      cleanup: async () => {
        await backend.clear();
        await backend.close();
      },
    };
  },
  { supportsCrossProcessPubSub: true, replaceStoredPayload: replaceStoredRedisPayload },
);
