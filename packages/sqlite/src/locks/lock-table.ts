import type { SqliteContext } from "../database/sqlite-context.js";

/** Named locks with an owner and an optional expiry. An expired lock is free. */
export class LockTable {
  readonly #ctx: SqliteContext;
  readonly #s;

  constructor(ctx: SqliteContext) {
    this.#ctx = ctx;
    const { db } = ctx;
    this.#s = {
      holder: db.prepare(
        `SELECT owner FROM alsek_locks
         WHERE ns = ? AND name = ? AND (expires_at IS NULL OR expires_at > ?)`,
      ),
      take: db.prepare(
        `INSERT INTO alsek_locks (ns, name, owner, expires_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (ns, name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at`,
      ),
      release: db.prepare("DELETE FROM alsek_locks WHERE ns = ? AND name = ? AND owner = ?"),
    };
  }

  /** Take or refresh the lock; `false` when someone else holds it. */
  acquire(name: string, ownerId: string, ttlMs: number | null): boolean {
    const now = this.#ctx.now();
    const holder = this.holder(name);
    if (holder !== null && holder !== ownerId) return false;
    this.#s.take.run(this.#ctx.ns, name, ownerId, ttlMs === null ? null : now + ttlMs);
    return true;
  }

  /** Release the lock if `ownerId` holds it. */
  release(name: string, ownerId: string): boolean {
    if (this.holder(name) !== ownerId) return false;
    return this.#s.release.run(this.#ctx.ns, name, ownerId).changes > 0;
  }

  /** The owner, or `null` when free. */
  holder(name: string): string | null {
    const row = this.#s.holder.get(this.#ctx.ns, name, this.#ctx.now()) as { owner: string } | undefined;
    return row?.owner ?? null;
  }
}
