import type { Backend } from "@alsek/core";
import { MissingPackageError, UsageError } from "../errors/index.js";
import { readString, type ParsedArgs } from "../options/read-option.js";

/** Import an optional package, or say how to install it. */
export async function importOptional<T>(name: string, load: () => Promise<T>, why: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ERR_MODULE_NOT_FOUND" && String((error as Error).message).includes(name)) {
      throw new MissingPackageError(`${why} needs the package ${name}, which is not installed: add it next to @alsek/cli (npm install ${name}).`);
    }
    throw error;
  }
}

/** Whether the command line names a backend (`--redis-url` or `--sqlite`). */
export function namesBackend(args: ParsedArgs): boolean {
  return readString(args, "redis-url") !== undefined || readString(args, "sqlite") !== undefined;
}

/**
 * The backend named by `--redis-url` or `--sqlite` (with `--namespace`), and a label for it
 * without any password. Nothing connects until first use.
 * @throws UsageError when neither or both are given.
 */
export async function openBackend(args: ParsedArgs): Promise<{ backend: Backend; label: string }> {
  const redisUrl = readString(args, "redis-url");
  const sqlite = readString(args, "sqlite");
  const namespace = readString(args, "namespace");
  if ((redisUrl === undefined) === (sqlite === undefined)) {
    throw new UsageError("Name one backend: --redis-url redis://host:6379 or --sqlite path/to/file.db.");
  }
  const options = namespace === undefined ? {} : { namespace };
  if (redisUrl !== undefined) {
    let host: string;
    try {
      const url = new URL(redisUrl);
      if (url.protocol !== "redis:" && url.protocol !== "rediss:") throw new Error("protocol");
      host = url.host;
    } catch {
      throw new UsageError(`--redis-url ${JSON.stringify(redisUrl.replace(/\/\/[^@/]*@/, "//***@"))} is not a Redis URL: give redis://host:port (or rediss:// for TLS).`);
    }
    const { RedisBackend } = await importOptional("@alsek/redis", () => import("@alsek/redis"), "--redis-url");
    const backend = new RedisBackend(redisUrl, options);
    return { backend, label: `Redis ${host}, namespace ${backend.namespace}` };
  }
  const { SqliteBackend } = await importOptional("@alsek/sqlite", () => import("@alsek/sqlite"), "--sqlite");
  const backend = new SqliteBackend(sqlite as string, options);
  return { backend, label: `SQLite ${sqlite as string}, namespace ${backend.namespace}` };
}
