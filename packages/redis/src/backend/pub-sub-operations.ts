// Publishing, subscribing and watching queues for new work all ride on Redis pub/sub through one
// shared subscriber connection; the watchers are tracked so that closing the backend stops them.
import { validateQueueName, type QueueWatcher, type Subscription } from "@alsek/core";
import type { Cluster, Redis } from "ioredis";
import { RedisQueueWatcher } from "../watch/index.js";
import type { BackendConnection } from "./backend-connection.js";

/** The pub/sub and queue watching of `RedisBackend`; see the `Backend` contract for each method. */
export class PubSubOperations {
  readonly #connection: BackendConnection;
  readonly #watchers = new Set<QueueWatcher>();

  constructor(connection: BackendConnection) {
    this.#connection = connection;
  }

  /** Publishes `value` on `channel` of this namespace. */
  async publish(channel: string, value: unknown): Promise<void> {
    const connection = this.#connection;
    const payload = connection.serializer.forward(value);
    await connection.guard("publish", async () =>
      (await this.#publisher()).publish(connection.keys.channel(channel), payload),
    );
  }

  // Cluster sends keyless commands to any node, and two publishes through different nodes may
  // arrive out of order; publishing through one fixed master keeps them in order.
  async #publisher(): Promise<Redis | Cluster> {
    const conn = this.#connection.get();
    if (!conn.cluster) return conn.client;
    const cluster = conn.client as Cluster;
    // A lazy cluster knows its nodes only once connected.
    if (cluster.nodes("master").length === 0) await cluster.ping();
    const masters = cluster.nodes("master");
    const key = (n: Redis): string => `${n.options.host ?? ""}:${n.options.port ?? 0}`;
    const pinned = [...masters].sort((a, b) => key(a).localeCompare(key(b)))[0];
    return pinned ?? conn.client;
  }

  /** Calls `listener` with each decoded value published on `channel` until unsubscribed. */
  async subscribe(channel: string, listener: (value: unknown) => void): Promise<Subscription> {
    const connection = this.#connection;
    const hub = connection.subscriberHub();
    const full = connection.keys.channel(channel);
    const onMessage = (message: string): void => listener(connection.serializer.reverse(message));
    await connection.guard("subscribe", () => hub.add(full, onMessage));
    return { unsubscribe: () => hub.remove(full, onMessage) };
  }

  /** A watcher woken when work may have become ready on `queues`. */
  watch(queues: readonly string[]): QueueWatcher {
    const connection = this.#connection;
    const channels = queues.map((q) => connection.keys.wakeChannel(validateQueueName(q)));
    // Each queue's two ready indexes (zset and wait list) in one EXISTS: they share its slot.
    const readyKeys = queues.map((q) => [connection.keys.ready(q), connection.keys.wait(q)]);
    const hasReadyWork = async (): Promise<boolean> => {
      await connection.open("watch");
      const counts = await Promise.all(readyKeys.map((k) => connection.get().client.exists(...k)));
      return counts.some((n) => n > 0);
    };
    const watcher = new RedisQueueWatcher(connection.subscriberHub(), channels, hasReadyWork);
    this.#watchers.add(watcher);
    return watcher;
  }

  /** Closes every watcher this backend handed out. */
  async closeWatchers(): Promise<void> {
    await Promise.all([...this.#watchers].map((w) => w.close()));
  }
}
