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
  async ({ namespace }) => {
    const client = cluster.client();
    const backend = new RedisBackend(client, { namespace });
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
