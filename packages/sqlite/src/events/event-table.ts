import type { ProgressUpdate, QueueEvent, QueueEventError, QueueEventType } from "@alsek/core";
import type { SqliteContext } from "../database/sqlite-context.js";

/** An event as a transaction records it; the table adds id and time. */
export interface EventRow {
  type: QueueEventType;
  queue: string;
  uuid: string;
  attempt: number;
  error?: QueueEventError | null;
  readyAt?: number | null;
  progress?: ProgressUpdate | null;
}

interface StoredEvent {
  id: number;
  queue: string;
  type: string;
  uuid: string;
  attempt: number;
  at: number;
  error_name: string | null;
  error_text: string | null;
  ready_at: number | null;
  progress: string | null;
}

/** Appends a queue's trim runs once per this many appends (the cap is approximate, like Redis' `MAXLEN ~`). */
const TRIM_EVERY = 64;

/**
 * Each queue's event stream, capped: rows are appended inside the caller's transaction (the one
 * that changes the message's state) and the oldest rows beyond `maxLength` are deleted every
 * {@link TRIM_EVERY} appends of a queue. Ids grow in commit order (writers are serialized by
 * `BEGIN IMMEDIATE`), so a reader resuming after the last id it saw misses nothing still kept.
 */
export class EventTable {
  readonly #ctx: SqliteContext;
  readonly #maxLength: number;
  readonly #insert;
  readonly #trim;
  readonly #after;
  readonly #last;
  readonly #appends = new Map<string, number>();

  constructor(ctx: SqliteContext, maxLength: number) {
    this.#ctx = ctx;
    this.#maxLength = maxLength;
    const { db } = ctx;
    this.#insert = db.prepare(
      "INSERT INTO alsek_events (ns, queue, type, uuid, attempt, at, error_name, error_text, ready_at, progress) " +
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    this.#trim = db.prepare(
      "DELETE FROM alsek_events WHERE ns = @ns AND queue = @queue AND id < " +
        "(SELECT id FROM alsek_events WHERE ns = @ns AND queue = @queue ORDER BY id DESC LIMIT 1 OFFSET @offset)",
    );
    this.#after = db.prepare("SELECT * FROM alsek_events WHERE ns = ? AND queue = ? AND id > ? ORDER BY id LIMIT ?");
    this.#last = db.prepare("SELECT MAX(id) AS id FROM alsek_events WHERE ns = ? AND queue = ?");
  }

  /** Whether events are recorded at all. */
  get enabled(): boolean {
    return this.#maxLength > 0;
  }

  /** Append `event` (nothing when events are off); inside the caller's transaction. */
  append(event: EventRow): void {
    if (this.#maxLength === 0) return;
    const ctx = this.#ctx;
    this.#insert.run(
      ctx.ns,
      event.queue,
      event.type,
      event.uuid,
      event.attempt,
      ctx.now(),
      event.error?.name ?? null,
      event.error?.message ?? null,
      event.readyAt ?? null,
      event.progress == null ? null : ctx.serializer.forward(event.progress),
    );
    const appends = (this.#appends.get(event.queue) ?? 0) + 1;
    this.#appends.set(event.queue, appends % TRIM_EVERY);
    if (appends >= TRIM_EVERY) this.#trim.run({ ns: ctx.ns, queue: event.queue, offset: this.#maxLength - 1 });
  }

  /** Up to `limit` events of `queue` after id `after` (from the oldest kept when `null`). */
  read(queue: string, after: string | null, limit: number): QueueEvent[] {
    const rows = this.#after.all(this.#ctx.ns, queue, after === null ? 0 : Number(after), limit) as StoredEvent[];
    return rows.map((row) => ({
      id: String(row.id),
      type: row.type as QueueEventType,
      queue: row.queue,
      uuid: row.uuid,
      attempt: row.attempt,
      at: row.at,
      error: row.error_name === null ? null : { name: row.error_name, message: row.error_text ?? "" },
      readyAt: row.ready_at,
      progress: row.progress === null ? null : (this.#ctx.serializer.reverse(row.progress) as ProgressUpdate),
    }));
  }

  /** The id of `queue`'s newest event, or `null`. */
  lastId(queue: string): string | null {
    const row = this.#last.get(this.#ctx.ns, queue) as { id: number | null };
    return row.id === null ? null : String(row.id);
  }
}
