// Pause, resume and rate limits under real pool engines on Redis, standalone and Cluster: each
// pool has its own backend and connection, as pools on separate hosts would; the three pools of the
// rate-limit test run in three child processes.
import { randomUUID } from "node:crypto";
import { startRedisCluster, startRedisServer, type RedisCluster, type RedisServer } from "@alsek/test-support";
import { describeFlowControlPool } from "@alsek/test-support/pool-behaviour";
import { afterAll, beforeAll, describe } from "vitest";
import { RedisBackend } from "../index.js";

/** How the rate-limit test's child pools open this Redis. */
const OPEN_BACKEND = new URL("./open-flow-backend.ts", import.meta.url).href;

let server: RedisServer;
let cluster: RedisCluster;
beforeAll(async () => {
  [server, cluster] = await Promise.all([startRedisServer(), startRedisCluster({ masters: 3 })]);
});
afterAll(async () => {
  await Promise.all([server?.stop(), cluster?.stop()]);
});

describe("standalone", () => {
  describeFlowControlPool("RedisBackend", {
    createBackends: async (count) => {
      const namespace = `flow_${randomUUID().slice(0, 8)}`;
      const backends = Array.from({ length: count }, () => new RedisBackend(server.url, { namespace, events: true }));
      return {
        backends,
        poolProcess: { moduleUrl: OPEN_BACKEND, args: ["standalone", namespace, server.url] },
        cleanup: async () => {
          await backends[0]!.clear();
          for (const backend of backends) await backend.close();
        },
      };
    },
  });
});

describe("cluster", () => {
  describeFlowControlPool("RedisBackend (3-master cluster)", {
    createBackends: async (count) => {
      const namespace = `flow_${randomUUID().slice(0, 8)}`;
      const clients = Array.from({ length: count }, () => cluster.client());
      const backends = clients.map((client) => new RedisBackend(client, { namespace, events: true }));
      return {
        backends,
        poolProcess: { moduleUrl: OPEN_BACKEND, args: ["cluster", namespace, ...cluster.startupNodes.map((n) => `${n.host}:${n.port}`)] },
        cleanup: async () => {
          await backends[0]!.clear();
          for (const backend of backends) await backend.close();
          for (const client of clients) client.disconnect();
        },
      };
    },
  });
});
