import type { Serializer } from "@alsek/core";
import { EventTable } from "../events/event-table.js";
import { LockTable } from "../locks/lock-table.js";
import { PubSubTable } from "../pubsub/pubsub-table.js";
import { SubscriptionHub } from "../pubsub/subscription-hub.js";
import { MessageBrowser } from "../queue/message-browser.js";
import { QueueTable } from "../queue/queue-table.js";
import { ResultTable } from "../results/result-table.js";
import { ScheduleTable } from "../schedules/schedule-table.js";
import { ValueTable } from "../values/value-table.js";
import { notifierFor, type ChangeNotifier } from "../watch/change-notifier.js";
import { openDatabase, type SqliteDatabase } from "./open-database.js";
import type { SqliteContext } from "./sqlite-context.js";

/** An open backend: its connection, its tables and its pub/sub poller. */
export interface BackendState {
  db: SqliteDatabase;
  notifier: ChangeNotifier;
  queue: QueueTable;
  /** Pages, single messages and operator writes for the inspection calls. */
  browser: MessageBrowser;
  results: ResultTable;
  values: ValueTable;
  locks: LockTable;
  schedules: ScheduleTable;
  pubsub: PubSubTable;
  /** Each queue's event stream (writes nothing when events are off). */
  events: EventTable;
  hub: SubscriptionHub;
  /** Deletes every row of the namespace; counts messages, dead letters, results, values and locks. */
  clear: () => number;
  /** Runs a function in `BEGIN IMMEDIATE` (`.immediate`) or in a read transaction (`.deferred`). */
  tx: ReturnType<SqliteDatabase["transaction"]>;
}

/** What {@link openBackendState} needs. */
export interface BackendStateOptions {
  source: string | SqliteDatabase;
  busyTimeoutMs: number;
  namespace: string;
  serializer: Serializer;
  pollIntervalMs: number;
  pubSubRetentionMs: number;
  /** Called for each queue a transaction gives new work. */
  touch: (queue: string) => void;
  /** Cap of each queue's event stream; `0`: no events. */
  eventLength: number;
}

/** Open the database (creating the schema) and prepare every table's statements. */
export function openBackendState(options: BackendStateOptions): BackendState {
  const db = openDatabase(options.source, options.busyTimeoutMs);
  const ns = options.namespace;
  const ctx: SqliteContext = {
    db,
    ns,
    serializer: options.serializer,
    now: () => Date.now(),
    touch: options.touch,
  };
  const pubsub = new PubSubTable(ctx, options.pubSubRetentionMs);
  const counted = ["alsek_messages", "alsek_dead_letters", "alsek_results", "alsek_kv", "alsek_locks"].map(
    (table) => db.prepare(`DELETE FROM ${table} WHERE ns = ?`),
  );
  const uncounted = ["alsek_queues", "alsek_pubsub", "alsek_applied", "alsek_throughput", "alsek_schedules", "alsek_flow_control", "alsek_events"].map((table) =>
    db.prepare(`DELETE FROM ${table} WHERE ns = ?`),
  );
  return {
    db,
    notifier: notifierFor(db),
    queue: new QueueTable(ctx),
    browser: new MessageBrowser(ctx),
    results: new ResultTable(ctx),
    values: new ValueTable(ctx),
    locks: new LockTable(ctx),
    schedules: new ScheduleTable(ctx),
    pubsub,
    events: new EventTable(ctx, options.eventLength),
    hub: new SubscriptionHub(pubsub, options.serializer, options.pollIntervalMs),
    clear: () => {
      let removed = 0;
      for (const statement of counted) removed += statement.run(ns).changes;
      for (const statement of uncounted) statement.run(ns);
      return removed;
    },
    tx: db.transaction((fn: () => unknown) => fn()),
  };
}
