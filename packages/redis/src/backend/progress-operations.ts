// Progress of running messages: a keyed value in the queue's slot, written under the lease.
import { requireProgressWrite, type Lease, type ProgressWrite, type WriteOutcome } from "@alsek/core";
import type { BackendConnection } from "./backend-connection.js";
import { ttlArgument, validateRef } from "./validation.js";

const WRITE_OUTCOMES: readonly WriteOutcome[] = ["ok", "lost", "gone"];

/** `RedisBackend.setProgress`; see the `Backend` contract. */
export class ProgressOperations {
  readonly #connection: BackendConnection;

  constructor(connection: BackendConnection) {
    this.#connection = connection;
  }

  /** Stores and publishes a running message's progress while its lease holds (`set-progress.lua`). */
  async setProgress(lease: Lease, write: ProgressWrite): Promise<WriteOutcome> {
    validateRef(lease);
    requireProgressWrite(lease, write);
    const connection = this.#connection;
    const keys = connection.keys;
    const args = [
      keys.queuePrefix(lease.queue),
      lease.uuid,
      lease.token,
      connection.serializer.forward(write.value),
      ttlArgument("progress ttlMs", write.ttlMs),
      keys.channel(write.channel),
      connection.eventLength,
      write.attempt,
    ];
    return connection.guard("setProgress", async () => {
      const code = (await connection.get().scripts.run("set-progress", [keys.value(write.key)], args)) as number;
      return WRITE_OUTCOMES[code] ?? "gone";
    });
  }
}
