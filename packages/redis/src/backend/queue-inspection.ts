// Reading a queue without changing it (one message, a dead letter, counts, the queue list) is for
// tools and tests rather than workers, so it stays apart from the hot queue writes.
import { validateQueueName, type MessageData, type MessageRef, type QueueCounts } from "@alsek/core";
import type { BackendConnection } from "./backend-connection.js";
import { decodeStoredValue } from "./stored-value-decoding.js";
import { validateRef } from "./validation.js";

/** The read-only queue queries of `RedisBackend`; see the `Backend` contract for each method. */
export class QueueInspection {
  readonly #connection: BackendConnection;

  constructor(connection: BackendConnection) {
    this.#connection = connection;
  }

  /** The data of a message still in its queue, or `null`. @throws MessageDecodeError when it cannot be decoded. */
  async getMessage(ref: MessageRef): Promise<MessageData | null> {
    validateRef(ref);
    const connection = this.#connection;
    return connection.guard("getMessage", async () => {
      const raw = await connection.get().client.get(connection.keys.message(ref.queue, ref.uuid));
      if (raw === null) return null;
      const decoded = decodeStoredValue(raw, ref, connection.serializer);
      if (!decoded.ok) throw decoded.error;
      return decoded.data;
    });
  }

  /** The data of a dead-lettered message, or `null`. */
  async getDeadLetter(ref: MessageRef): Promise<MessageData | null> {
    validateRef(ref);
    const connection = this.#connection;
    return connection.guard("getDeadLetter", async () => {
      const raw = await connection.get().client.get(connection.keys.deadLetter(ref.queue, ref.uuid));
      return raw === null ? null : connection.decodeMessage(raw, ref);
    });
  }

  /** How many messages `queue` holds in each state. */
  async countQueue(queue: string): Promise<QueueCounts> {
    validateQueueName(queue);
    const connection = this.#connection;
    const keys = [...connection.queueKeys(queue), connection.keys.dead(queue)];
    return connection.guard("countQueue", async () => {
      const [ready, delayed, active, dead] = (await connection.get().scripts.run("count-queue", keys, [])) as number[];
      return { ready: ready ?? 0, delayed: delayed ?? 0, active: active ?? 0, dead: dead ?? 0 };
    });
  }

  /** Every queue ever submitted to in this namespace, sorted. */
  async listQueues(): Promise<string[]> {
    const connection = this.#connection;
    return connection.guard("listQueues", async () =>
      (await connection.get().client.smembers(connection.keys.queues())).sort(),
    );
  }
}
