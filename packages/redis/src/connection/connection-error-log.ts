import type { Logger } from "@alsek/core";
import type { RedisClient } from "./redis-client.js";

/** How often one client may log the same connection error while Redis stays unreachable. */
const REPEAT_INTERVAL_MS = 10_000;

/**
 * Routes a client's connection errors to Alsek's logger, once per distinct error per interval.
 * Without a listener ioredis prints every failed reconnect attempt ("Unhandled error event"), many
 * times a second while Redis is down. Only clients the backend created get this listener: a client
 * passed in belongs to the application, which decides how to report its errors. Errors `reported`
 * says are reported elsewhere (failures retrying cannot fix: the operations fail with them) are
 * not logged.
 */
export function logConnectionErrors(
  client: RedisClient,
  endpoint: string,
  log: Logger,
  reported: (error: Error) => boolean = () => false,
): void {
  let last = "";
  let lastAt = 0;
  client.on("error", (error: Error) => {
    if (reported(error)) return;
    const now = Date.now();
    if (error.message === last && now - lastAt < REPEAT_INTERVAL_MS) return;
    last = error.message;
    lastAt = now;
    log.warn(`Redis connection error (${endpoint}); ioredis keeps reconnecting.`, { error: error.message });
  });
}

/** `host:port` of a client (or `cluster`), for messages; never includes credentials. */
export function describeEndpoint(client: RedisClient): string {
  if ((client as { isCluster?: boolean }).isCluster === true) return "cluster";
  const options = (client as { options?: { host?: string; port?: number; path?: string | null } }).options;
  if (options?.path) return options.path;
  return `${options?.host ?? "localhost"}:${options?.port ?? 6379}`;
}
