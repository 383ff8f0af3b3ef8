import type { Logger } from "@alsek/core";
import type { Redis } from "ioredis";

type ReadyCallback = (error: Error | null, info?: unknown) => void;
interface ReadyCheckInternals {
  _readyCheck?: (this: Redis, callback: ReadyCallback) => void;
}

/**
 * Keep ioredis' ready check (it waits while Redis loads its data after a restart) but not its
 * plain-text `console.warn` ("Skipping the ready check because INFO command fails...") for an
 * ACL user that may not run INFO, which a least-privilege user never may: that line lands on
 * stderr outside Alsek's JSON logs. Such a client skips the check, as ioredis would, and says so
 * once at debug level. Only for clients the backend creates; a client that does not have the
 * (internal) hook is left as it is.
 */
export function quietReadyCheck(client: Redis, log: Logger): void {
  const internals = client as unknown as ReadyCheckInternals;
  const original = internals._readyCheck;
  if (typeof original !== "function") return;
  let told = false;
  internals._readyCheck = function (this: Redis, callback: ReadyCallback): void {
    this.info().then(
      () => original.call(this, callback),
      (error: Error) => {
        if (!/NOPERM/.test(error.message)) {
          original.call(this, callback);
          return;
        }
        if (!told) {
          told = true;
          log.debug("The Redis user may not run INFO: not waiting for Redis to finish loading its data on connect.", {
            error: error.message,
          });
        }
        callback(null, {});
      },
    );
  };
}
