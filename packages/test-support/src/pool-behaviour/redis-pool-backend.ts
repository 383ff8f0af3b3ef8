// The Redis storage of the pool behaviour suite: one throwaway redis-server per test file.
import type { Backend } from "@alsek/core";
import { RedisBackend } from "@alsek/redis";
import { startRedisServer } from "../redis-server.js";
import type { PoolBackendFixture } from "./pool-backend-fixture.js";

/** Environment variable carrying the server's URL to every process of the pool under test. */
const URL_VARIABLE = "ALSEK_TEST_REDIS_URL";

/** Pools under test on a real Redis (a `redis-server` started for the test file). */
export const poolBackend: PoolBackendFixture = {
  name: "Redis",
  moduleUrl: import.meta.url,
  start: async () => {
    const server = await startRedisServer();
    return { env: { [URL_VARIABLE]: server.url }, stop: () => server.stop() };
  },
  createBackend: (namespace) => {
    const url = process.env[URL_VARIABLE];
    if (url === undefined) throw new Error(`${URL_VARIABLE} is not set: start the pool storage first.`);
    return new RedisBackend(url, { namespace });
  },
  replaceStoredPayload: async (backend: Backend, ref, payload) => {
    // A stored message is its ready score (digits), then its data: keep the score.
    const { client } = backend as RedisBackend;
    const key = `${backend.namespace}:q:{${ref.queue}}:m:${ref.uuid}`;
    const score = /^\d+/.exec((await client.get(key)) ?? "")?.[0];
    if (score === undefined) throw new Error(`No stored message ${ref.uuid} to replace.`);
    await client.set(key, score + payload);
  },
};
