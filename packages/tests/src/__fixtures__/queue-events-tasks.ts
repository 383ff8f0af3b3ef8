// A task whose every run records submitted, started, progress and succeeded events. The pool's
// threads import this module again by URL, so it only defines the task; the backend comes from
// environment variables the test sets before importing it (threads inherit them).
import { join } from "node:path";
import { Broker, task, type Backend, type Message } from "@alsek/core";
import { RedisBackend } from "@alsek/redis";
import { SqliteBackend } from "@alsek/sqlite";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: set it before importing the queue-events tasks.`);
  return value;
}

/** The backend of kind `kind` at `where` (a Redis URL or a directory), recording events. */
export function eventsBackend(kind: string, where: string): Backend {
  if (kind === "redis") return new RedisBackend(where, { namespace: "queue-events", events: true });
  if (kind === "sqlite") return new SqliteBackend(join(where, "alsek.db"), { namespace: "queue-events", events: true });
  throw new Error(`kind must be "redis" or "sqlite", got ${JSON.stringify(kind)}.`);
}

export const backend = eventsBackend(required("ALSEK_EVENTS_BACKEND"), required("ALSEK_EVENTS_WHERE"));
export const broker = new Broker(backend);

/** The queue of {@link eventful}. */
export const EVENTS_QUEUE = "queue_events";

export const eventful = task(
  broker,
  { mechanism: "thread", queue: EVENTS_QUEUE, passMessage: true },
  function eventful(n: number, message: Message) {
    message.progress(50);
    return n;
  },
);
