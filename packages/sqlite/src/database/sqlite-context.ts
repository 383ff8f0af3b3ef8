import type { Serializer } from "@alsek/core";
import type { SqliteDatabase } from "./open-database.js";

/**
 * What every table module of one backend shares: the connection, the namespace, the serializer
 * and the queues whose watchers must hear about the transaction being written.
 */
export interface SqliteContext {
  readonly db: SqliteDatabase;
  readonly ns: string;
  readonly serializer: Serializer;
  /**
   * Epoch ms of the calling process. Leases and readiness are judged on it, which is sound only
   * because every process sharing the file runs on the same machine (one clock).
   */
  now(): number;
  /** Record that a queue may have new claimable work; watchers are told after the commit. */
  touch(queue: string): void;
}
