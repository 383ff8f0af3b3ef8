import type { Redis } from "ioredis";
import { describePermanentFailure } from "./permanent-failure.js";
import { speaksPlainRedis, speaksTls } from "./protocol-probe.js";
import { isCluster, type RedisClient } from "./redis-client.js";

/**
 * Watch a client the backend created for connection failures retrying cannot fix: rejected
 * credentials, a TLS certificate this process does not trust, and (found by a probe) a plain
 * `redis://` connection to a TLS port or a `rediss://` one to a plain port. ioredis would keep
 * reconnecting and fail each command only once its retries run out (~20 s, with a "max retries"
 * message that hides the cause). On the first such failure `onPermanent` hears why and the client
 * stops reconnecting, so the commands waiting on it fail with its next close (at once, or after
 * the reconnect already scheduled) instead of after their retries.
 */
export function watchForPermanentFailure(client: RedisClient, onPermanent: (reason: string, cause: Error) => void): void {
  let everReady = false;
  let probed = false;
  let decided = false;
  const fail = (reason: string, cause: Error): void => {
    if (decided) return;
    decided = true;
    onPermanent(reason, cause);
    // ioredis flushes its command queue when it gives up reconnecting; a disconnect() while a
    // reconnect is scheduled would leave the queued commands waiting forever, so let that attempt
    // fail and be the last.
    if (!isCluster(client)) (client as Redis).options.retryStrategy = () => null;
    if (client.status !== "reconnecting") client.disconnect();
  };
  client.on("ready", () => {
    everReady = true;
  });
  client.on("error", (error: Error) => {
    if (decided) return;
    const reason = describePermanentFailure(error);
    if (reason !== null) {
      fail(reason, error);
      return;
    }
    // Only a client that never reached Redis can be speaking the wrong protocol.
    if (everReady || probed || isCluster(client)) return;
    const { host, port, tls } = (client as Redis).options;
    if (host === undefined || port === undefined) return;
    const code = (error as NodeJS.ErrnoException).code;
    if (!tls && code === "ECONNRESET") {
      probed = true;
      void speaksTls(host, port).then((yes) => {
        if (yes) {
          fail(
            `the server at ${host}:${port} speaks TLS and dropped this plain connection (${error.message}); ` +
              "connect with rediss:// (and pass the server's CA in redisOptions.tls.ca)",
            error,
          );
        }
      });
    } else if (tls && code === "ETIMEDOUT") {
      probed = true;
      void speaksPlainRedis(host, port).then((yes) => {
        if (yes) fail(`the server at ${host}:${port} serves plain Redis, not TLS (${error.message}); connect with redis://`, error);
      });
    }
  });
}
