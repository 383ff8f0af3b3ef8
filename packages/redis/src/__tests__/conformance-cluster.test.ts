import { describeBackendConformance } from "@alsek/backend-conformance";
import { startRedisCluster, type RedisCluster } from "@alsek/test-support";
import { afterAll, beforeAll } from "vitest";
import { RedisBackend } from "../index.js";
import { replaceStoredRedisPayload } from "./replace-stored-payload.js";

let cluster: RedisCluster;
beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3 });
});
afterAll(async () => {
  await cluster.stop();
});

describeBackendConformance(
  "RedisBackend (3-master cluster)",
  async ({ namespace, eventStreamLength }) => {
    const events = eventStreamLength === undefined ? false : { maxLength: eventStreamLength };
    const client = cluster.client();
    let backend: RedisBackend;
    try {
      backend = new RedisBackend(client, { namespace, events });
    } catch (error) {
      client.disconnect(); // a refused namespace (the suite checks the rule) must not leak the client
      throw error;
    }
    return {
      backend,
      cleanup: async () => {
        await backend.clear();
        await backend.close();
        client.disconnect();
      },
    };
  },
  { supportsCrossProcessPubSub: true, replaceStoredPayload: replaceStoredRedisPayload },
);
