// Keyed values are the backend's plain key-value store (task state, trigger bookkeeping); with the
// scans over them and the namespace-wide clear they share SCAN across every Cluster master.
import type { SetValueOptions, StatusWrite } from "@alsek/core";
import type { Cluster, Redis } from "ioredis";
import type { BackendConnection } from "./backend-connection.js";
import { statusArguments, withoutStatusHead } from "./status-arguments.js";
import { ttlArgument } from "./validation.js";

/** Keys unlinked per command while clearing the namespace. */
const CLEAR_BATCH = 500;

/** The keyed values of `RedisBackend` and the clearing of its namespace; see the `Backend` contract. */
export class ValueOperations {
  readonly #connection: BackendConnection;

  constructor(connection: BackendConnection) {
    this.#connection = connection;
  }

  /** The decoded value at `key`, or `undefined`. */
  async getValue(key: string): Promise<unknown> {
    const connection = this.#connection;
    return connection.guard("getValue", async () => {
      const raw = await connection.get().client.get(connection.keys.value(key));
      return raw === null ? undefined : connection.serializer.reverse(withoutStatusHead(raw));
    });
  }

  /** Stores `value` at `key`; `false` when `nx` found the key taken. */
  async setValue(key: string, value: unknown, options: SetValueOptions = {}): Promise<boolean> {
    const connection = this.#connection;
    const ttl = ttlArgument("setValue ttlMs", options.ttlMs);
    const args: (string | number)[] = [connection.keys.value(key), connection.serializer.forward(value)];
    if (ttl > 0) args.push("PX", ttl);
    else if (options.keepTtl === true) args.push("KEEPTTL");
    if (options.nx === true) args.push("NX");
    return connection.guard("setValue", async () => (await connection.get().client.call("SET", ...args)) === "OK");
  }

  /** Stores a status when its rank is above the stored one, and publishes it; whether it applied. */
  async setStatus(write: StatusWrite): Promise<boolean> {
    const connection = this.#connection;
    const [key, ...args] = statusArguments(connection, write);
    return connection.guard("setStatus", async () => (await connection.get().scripts.run("set-status", [key], args)) === 1);
  }

  /** Deletes the values at `keys`; returns how many existed. */
  async deleteValue(...keys: string[]): Promise<number> {
    if (keys.length === 0) return 0;
    const connection = this.#connection;
    const full = keys.map((k) => connection.keys.value(k));
    return connection.guard("deleteValue", async () => {
      const client = connection.get().client;
      if (!connection.get().cluster) return client.del(...full);
      const counts = await Promise.all(full.map((k) => client.del(k)));
      return counts.reduce((a, b) => a + b, 0);
    });
  }

  /** Whether a value is stored at `key`. */
  async hasValue(key: string): Promise<boolean> {
    const connection = this.#connection;
    return connection.guard("hasValue", async () => (await connection.get().client.exists(connection.keys.value(key))) === 1);
  }

  /** The value keys matching the glob `pattern`, each once. */
  async *scanKeys(pattern: string): AsyncIterable<string> {
    const keys = this.#connection.keys;
    const prefix = keys.valuePrefix();
    for await (const key of this.#scan(keys.valuePattern(pattern))) yield key.slice(prefix.length);
  }

  /** How many value keys match the glob `pattern`. */
  async count(pattern = "*"): Promise<number> {
    let n = 0;
    for await (const _ of this.scanKeys(pattern)) n += 1;
    return n;
  }

  /** Deletes every key of the namespace; returns how many there were. */
  async clear(): Promise<number> {
    const connection = this.#connection;
    await connection.open("clear");
    const conn = connection.get();
    let deleted = 0;
    let batch: string[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const keys = batch;
      batch = [];
      const counts = conn.cluster
        ? await Promise.all(keys.map((k) => conn.client.unlink(k)))
        : [await conn.client.unlink(...keys)];
      deleted += counts.reduce((a, b) => a + b, 0);
    };
    for await (const key of this.#scan(connection.keys.everything())) {
      batch.push(key);
      if (batch.length >= CLEAR_BATCH) await connection.guard("clear", flush);
    }
    await connection.guard("clear", flush);
    connection.forgetQueues();
    return deleted;
  }

  /** Every key matching `pattern` on every master, each once. Not for hot paths. */
  async *#scan(pattern: string): AsyncIterable<string> {
    const connection = this.#connection;
    await connection.open("scan");
    const conn = connection.get();
    const nodes: Redis[] = conn.cluster ? (conn.client as Cluster).nodes("master") : [conn.client as Redis];
    const seen = new Set<string>();
    for (const node of nodes) {
      let cursor = "0";
      do {
        const [next, keys] = await connection.guard("scan", () => node.scan(cursor, "MATCH", pattern, "COUNT", 1000));
        cursor = next;
        for (const key of keys) {
          if (seen.has(key)) continue;
          seen.add(key);
          yield key;
        }
      } while (cursor !== "0");
    }
  }
}
