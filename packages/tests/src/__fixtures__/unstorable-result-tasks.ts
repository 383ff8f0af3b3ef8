// Tasks whose results the default JSON serializer cannot store. The pool's threads import this
// module again by URL, so it only defines tasks; the backend it uses comes from environment
// variables the test sets before importing it (threads inherit them).
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { Broker, task, type Backend } from "@alsek/core";
import { RedisBackend } from "@alsek/redis";
import { ResultStore } from "@alsek/results";
import { SqliteBackend } from "@alsek/sqlite";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: set it before importing the unstorable-result tasks.`);
  return value;
}

function backendFromEnvironment(): Backend {
  const kind = required("ALSEK_UNSTORABLE_BACKEND");
  if (kind === "redis") return new RedisBackend(required("ALSEK_UNSTORABLE_REDIS_URL"), { namespace: "unstorable" });
  if (kind === "sqlite") return new SqliteBackend(join(required("ALSEK_UNSTORABLE_DIR"), "alsek.db"), { namespace: "unstorable" });
  throw new Error(`ALSEK_UNSTORABLE_BACKEND must be "redis" or "sqlite", got ${JSON.stringify(kind)}.`);
}

export const backend = backendFromEnvironment();
export const broker = new Broker(backend, { dlqTtl: 3_600_000 });
const resultStore = new ResultStore(backend);

/** Record one run of a task body (from whichever thread runs it). */
function note(line: string): void {
  appendFileSync(join(required("ALSEK_UNSTORABLE_DIR"), "runs"), `${line}\n`);
}

/** A result JSON has no form for, at `result.items[3].id`. */
function bigIntItems(): { items: unknown[] } {
  return { items: [0, 1, 2, { id: 10n ** 20n }] };
}

export const bigIntResult = task(
  broker,
  { mechanism: "thread", maxRetries: 0, resultStore },
  function bigIntResult(label: string) {
    note(label);
    return bigIntItems();
  },
);

export const bigIntResultRetried = task(
  broker,
  { mechanism: "thread", maxRetries: 2, backoff: null, resultStore },
  function bigIntResultRetried(label: string) {
    note(label);
    return bigIntItems();
  },
);

/** No result store: its result only travels in the callback message, as `previousResult`. */
export const bigIntForCallback = task(broker, { mechanism: "thread", maxRetries: 0 }, function bigIntForCallback(label: string) {
  note(label);
  return bigIntItems();
});

export const receiveResult = task(broker, { mechanism: "thread" }, function receiveResult() {
  note("callback ran");
});

export const allTasks = [bigIntResult, bigIntResultRetried, bigIntForCallback, receiveResult];
