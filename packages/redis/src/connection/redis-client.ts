import { createLogger, ValidationError, type Logger } from "@alsek/core";
import { LazyClient } from "./lazy-client.js";
import type { Cluster, Redis, RedisOptions } from "ioredis";
import { ioredisNow as ioredis } from "./ioredis-driver.js";
import { quietReadyCheck } from "./quiet-ready-check.js";
import { guardSocketErrors } from "./socket-error-guard.js";

/** A standalone ioredis client or an ioredis Cluster. */
export type RedisClient = Redis | Cluster;

/**
 * What a `RedisBackend` connects with: nothing (`redis://localhost:6379`), a `redis://` or
 * `rediss://` URL, an ioredis `Redis` or `Cluster`, or a `LazyClient` producing one.
 */
export type RedisConnection = string | Redis | Cluster | LazyClient<Redis | Cluster>;

/** A resolved client and whether the backend created it (and so must close it). */
export interface ResolvedClient {
  client: RedisClient;
  owned: boolean;
}

/** Whether `client` is an ioredis Cluster (duck-typed: two copies of ioredis may coexist). */
export function isCluster(client: RedisClient): client is Cluster {
  return (client as { isCluster?: boolean }).isCluster === true;
}

/**
 * Defaults for clients the backend creates (overridable through `redisOptions`). A command waits
 * through about ten reconnect attempts (~20 s while Redis is unreachable: long enough to ride
 * through a restart) before it fails with a `BackendError`, instead of ioredis' twenty (~75 s).
 * `enableAutoPipelining` stays off: measured here, it cost a third of the rate of awaited
 * one-at-a-time enqueues (every command waits for the next tick) and did not measurably speed up
 * a claim of 100 followed by 100 parallel acks. Pass it in `redisOptions` to try it on your load.
 */
const OWNED_CLIENT_DEFAULTS: RedisOptions = { maxRetriesPerRequest: 10 };

/**
 * Turns the constructor argument into a client. Clients the backend creates use `lazyConnect`, so
 * constructing a backend never opens a socket; ioredis connects on the first command.
 */
export function resolveClient(
  connection: RedisConnection | undefined,
  redisOptions: RedisOptions,
  log: Logger = createLogger("alsek.redis"),
): ResolvedClient {
  if (connection === undefined) {
    return { client: ownedClient(log, new (ioredis().Redis)({ ...OWNED_CLIENT_DEFAULTS, ...redisOptions, lazyConnect: true })), owned: true };
  }
  if (typeof connection === "string") {
    if (!/^rediss?:\/\//.test(connection)) {
      throw new ValidationError(
        `Unsupported Redis URL ${JSON.stringify(redactUrl(connection))}: use redis://host:port/db or rediss:// for TLS.`,
      );
    }
    return {
      client: ownedClient(log, new (ioredis().Redis)(connection, { ...OWNED_CLIENT_DEFAULTS, ...redisOptions, lazyConnect: true })),
      owned: true,
    };
  }
  if (connection instanceof LazyClient) {
    return { client: connection.get(), owned: false };
  }
  const { Redis, Cluster } = ioredis();
  if (connection instanceof Redis || connection instanceof Cluster || isCluster(connection as RedisClient)) {
    return { client: connection as RedisClient, owned: false };
  }
  if (typeof (connection as { get?: unknown }).get === "function" && !("defineCommand" in connection)) {
    // A LazyClient from another copy of @alsek/redis.
    return { client: (connection as { get(): RedisClient }).get(), owned: false };
  }
  if (typeof (connection as { defineCommand?: unknown }).defineCommand === "function") {
    return { client: connection as RedisClient, owned: false };
  }
  throw new ValidationError(
    "Unsupported Redis connection: pass a redis:// or rediss:// URL, an ioredis Redis or Cluster, or a LazyClient.",
  );
}

function ownedClient(log: Logger, client: Redis): Redis {
  quietReadyCheck(client, log);
  return guardSocketErrors(client);
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}
