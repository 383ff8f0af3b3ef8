import type { SetValueOptions, StatusWrite } from "@alsek/core";
import type { SqliteContext } from "../database/sqlite-context.js";

/**
 * Keyed values with an optional expiry. Expired rows are invisible to every read and deleted by
 * the next write of the namespace (and overwritten in place by a write of the same key).
 * Patterns use SQLite `GLOB` (`*`, `?`, `[...]`; case-sensitive).
 */
export class ValueTable {
  readonly #ctx: SqliteContext;
  readonly #s;

  constructor(ctx: SqliteContext) {
    this.#ctx = ctx;
    const { db } = ctx;
    const live = "(expires_at IS NULL OR expires_at > @now)";
    this.#s = {
      get: db.prepare(`SELECT value, expires_at, rank FROM alsek_kv WHERE ns = @ns AND key = @key AND ${live}`),
      upsert: db.prepare(
        `INSERT INTO alsek_kv (ns, key, value, expires_at, rank) VALUES (@ns, @key, @value, @expiresAt, @rank)
         ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at, rank = excluded.rank`,
      ),
      delete: db.prepare(`DELETE FROM alsek_kv WHERE ns = @ns AND key = @key AND ${live}`),
      deleteAny: db.prepare("DELETE FROM alsek_kv WHERE ns = @ns AND key = @key"),
      purge: db.prepare("DELETE FROM alsek_kv WHERE ns = @ns AND expires_at <= @now"),
      keys: db.prepare(
        `SELECT key FROM alsek_kv WHERE ns = @ns AND key GLOB @pattern AND key > @after AND ${live}
         ORDER BY key LIMIT @limit`,
      ),
      count: db.prepare(
        `SELECT COUNT(*) AS n FROM alsek_kv WHERE ns = @ns AND key GLOB @pattern AND ${live}`,
      ),
    };
  }

  /** The value, or `undefined`. */
  get(key: string): unknown {
    const row = this.#s.get.get({ ns: this.#ctx.ns, key, now: this.#ctx.now() }) as
      | { value: string }
      | undefined;
    return row === undefined ? undefined : this.#ctx.serializer.reverse(row.value);
  }

  /** Write a value; `false` only when `nx` and the key exists. */
  set(key: string, value: unknown, options: SetValueOptions): boolean {
    const ns = this.#ctx.ns;
    const now = this.#ctx.now();
    this.#s.purge.run({ ns, now });
    const existing = this.#s.get.get({ ns, key, now }) as { expires_at: number | null } | undefined;
    if (options.nx === true && existing !== undefined) return false;
    let expiresAt: number | null = null;
    if (options.ttlMs !== undefined && options.ttlMs !== null) expiresAt = now + options.ttlMs;
    else if (options.keepTtl === true && existing !== undefined) expiresAt = existing.expires_at;
    this.#s.upsert.run({ ns, key, value: this.#ctx.serializer.forward(value), expiresAt, rank: null });
    return true;
  }

  /**
   * Write a status: unless `force`, only when no live value is there or the live one's rank is
   * lower (a plain value has none). Returns `"written"` (the caller publishes it), `"same"` when
   * the live status is already this write (same rank and serialized value: nothing is written), or
   * `"refused"`.
   */
  setStatus(write: StatusWrite, force: boolean): "written" | "same" | "refused" {
    const ns = this.#ctx.ns;
    const now = this.#ctx.now();
    this.#s.purge.run({ ns, now });
    const value = this.#ctx.serializer.forward(write.value);
    if (!force) {
      const existing = this.#s.get.get({ ns, key: write.key, now }) as { rank: number | null; value: string } | undefined;
      if (existing !== undefined && existing.rank !== null && existing.rank >= write.rank) {
        return existing.rank === write.rank && existing.value === value ? "same" : "refused";
      }
    }
    const expiresAt = write.ttlMs === null ? null : now + write.ttlMs;
    this.#s.upsert.run({ ns, key: write.key, value, expiresAt, rank: write.rank });
    return "written";
  }

  /** Delete keys; counts the live ones. */
  delete(keys: readonly string[]): number {
    const ns = this.#ctx.ns;
    const now = this.#ctx.now();
    let existed = 0;
    for (const key of keys) {
      existed += this.#s.delete.run({ ns, key, now }).changes;
      this.#s.deleteAny.run({ ns, key });
    }
    return existed;
  }

  /** Whether a live key exists. */
  has(key: string): boolean {
    return this.#s.get.get({ ns: this.#ctx.ns, key, now: this.#ctx.now() }) !== undefined;
  }

  /** One page of live keys matching `pattern`, after `after` in key order. */
  keysAfter(pattern: string, after: string, limit: number): string[] {
    const rows = this.#s.keys.all({
      ns: this.#ctx.ns,
      pattern,
      after,
      limit,
      now: this.#ctx.now(),
    }) as { key: string }[];
    return rows.map((row) => row.key);
  }

  /** Number of live keys matching `pattern`. */
  count(pattern: string): number {
    return (this.#s.count.get({ ns: this.#ctx.ns, pattern, now: this.#ctx.now() }) as { n: number }).n;
  }
}
