// Named locks are owner-checked keys with a ttl; taking and releasing one must compare the owner
// atomically, hence their own scripts.
import type { BackendConnection } from "./backend-connection.js";
import { newCallId } from "./call-id.js";
import { ttlArgument } from "./validation.js";

/** What a released lock's key holds while a re-send of the release may still come (release-lock.lua). */
const RELEASED_MARK = "\0released:";

/** The named locks of `RedisBackend`; see the `Backend` contract for each method. */
export class LockOperations {
  readonly #connection: BackendConnection;

  constructor(connection: BackendConnection) {
    this.#connection = connection;
  }

  /** Takes the lock `name` for `ownerId` unless another owner holds it. */
  async acquireLock(name: string, ownerId: string, ttlMs: number | null): Promise<boolean> {
    const connection = this.#connection;
    const args = [ownerId, ttlArgument("lock ttlMs", ttlMs)];
    return connection.guard(
      "acquireLock",
      async () => Number(await connection.get().scripts.run("acquire-lock", [connection.keys.lock(name)], args)) === 1,
    );
  }

  /** Releases the lock `name` if `ownerId` holds it. */
  async releaseLock(name: string, ownerId: string): Promise<boolean> {
    const connection = this.#connection;
    return connection.guard(
      "releaseLock",
      async () =>
        Number(await connection.get().scripts.run("release-lock", [connection.keys.lock(name)], [ownerId, newCallId()])) === 1,
    );
  }

  /** The owner holding the lock `name`, or `null`. */
  async lockHolder(name: string): Promise<string | null> {
    const connection = this.#connection;
    return connection.guard("lockHolder", async () => {
      const holder = await connection.get().client.get(connection.keys.lock(name));
      return holder === null || holder.startsWith(RELEASED_MARK) ? null : holder;
    });
  }
}
