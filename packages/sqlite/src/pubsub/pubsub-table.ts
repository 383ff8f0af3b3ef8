import type { SqliteContext } from "../database/sqlite-context.js";

/** One published row, as read by a subscriber. */
export interface PublishedRow {
  id: number;
  channel: string;
  value: string;
}

/**
 * The rows through which processes publish to each other. Ids grow in commit order (writers are
 * serialized by `BEGIN IMMEDIATE` and the id is taken inside the write), so a subscriber that
 * remembers the last id it saw never misses or repeats a row. Rows older than the retention are
 * pruned by later publishes: a subscriber paused longer than that loses them.
 */
export class PubSubTable {
  readonly #ctx: SqliteContext;
  readonly #retentionMs: number;
  readonly #insert;
  readonly #prune;
  readonly #after;
  readonly #lastId;
  #lastPruneAt = 0;

  constructor(ctx: SqliteContext, retentionMs: number) {
    this.#ctx = ctx;
    this.#retentionMs = retentionMs;
    const { db } = ctx;
    this.#insert = db.prepare(
      "INSERT INTO alsek_pubsub (ns, channel, value, published_at) VALUES (?, ?, ?, ?)",
    );
    // Not filtered by namespace: rows of every namespace age the same way.
    this.#prune = db.prepare("DELETE FROM alsek_pubsub WHERE published_at < ?");
    this.#after = db.prepare(
      "SELECT id, channel, value FROM alsek_pubsub WHERE id > ? AND ns = ? ORDER BY id LIMIT 1000",
    );
    this.#lastId = db.prepare("SELECT COALESCE(MAX(id), 0) AS id FROM alsek_pubsub");
  }

  /** Append a value; inside the caller's transaction. */
  publish(channel: string, value: unknown): void {
    const now = this.#ctx.now();
    this.#insert.run(this.#ctx.ns, channel, this.#ctx.serializer.forward(value), now);
    // At most one prune per second per process keeps publishing cheap.
    if (now - this.#lastPruneAt >= 1000) {
      this.#lastPruneAt = now;
      this.#prune.run(now - this.#retentionMs);
    }
  }

  /** Rows of this namespace published after `id`, oldest first (at most 1000). */
  readAfter(id: number): PublishedRow[] {
    return this.#after.all(id, this.#ctx.ns) as PublishedRow[];
  }

  /** The id of the newest row, or 0. */
  lastId(): number {
    return (this.#lastId.get() as { id: number }).id;
  }
}
