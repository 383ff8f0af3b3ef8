// A task module whose backend comes from the environment (a Redis URL, or a SQLite file path),
// for running the `alsek` CLI against backends it can or cannot use.
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { Broker, task } from "@alsek/core";
import { RedisBackend } from "@alsek/redis";
import { SqliteBackend } from "@alsek/sqlite";

const target = process.env.ALSEK_ERRORS_BACKEND ?? "";

export const backend = /^rediss?:\/\//.test(target)
  ? new RedisBackend(target, { namespace: "alsek:cli-errors" })
  : new SqliteBackend(target);
export const broker = new Broker(backend);

/** Appends `line` to done.txt in `ALSEK_ERRORS_DIR`. */
export const recordLine = task(broker, { queue: "cli_errors", mechanism: "thread" }, function recordLine(line: string) {
  appendFileSync(join(process.env.ALSEK_ERRORS_DIR ?? "", "done.txt"), `${line}\n`);
});
