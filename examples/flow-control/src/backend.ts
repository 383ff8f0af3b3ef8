// The backend of this example: Redis when REDIS_URL is set, otherwise an SQLite file in the OS
// temp dir, unique to this run. Pool workers (threads and child processes) import this module
// too; the file's path reaches them through the environment, so every process opens the same file.
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Backend } from "@alsek/core";
import { RedisBackend } from "@alsek/redis";
import { SqliteBackend } from "@alsek/sqlite";

const EXAMPLE = "flow-control";
const redisUrl = process.env.REDIS_URL;
const sqliteFile = (process.env.ALSEK_EXAMPLE_SQLITE_FILE ??= join(
  tmpdir(),
  `alsek-example-${EXAMPLE}-${process.pid}-${Date.now()}.db`,
));

/**
 * The storage every process of this example shares. Nothing connects until first use. It records
 * event streams (`events: true`): the example reads when each message was claimed from them.
 */
export const backend: Backend = redisUrl
  ? new RedisBackend(redisUrl, { namespace: `example-${EXAMPLE}`, events: true })
  : new SqliteBackend(sqliteFile, { events: true });

/** Where the data lives, for the first line the example prints (no password). */
export const backendLabel = redisUrl ? `Redis (${new URL(redisUrl).host})` : `SQLite (${sqliteFile})`;

/** Start from an empty namespace, whatever an earlier run left behind. */
export async function resetBackend(): Promise<void> {
  await backend.clear();
}

/** Close the backend and, on SQLite, delete this run's file. */
export async function closeBackend(): Promise<void> {
  await backend.close();
  if (!redisUrl) for (const suffix of ["", "-wal", "-shm"]) rmSync(sqliteFile + suffix, { force: true });
}
