import type { MessageRef, ResultWrite, StoredResult } from "@alsek/core";
import type { SqliteContext } from "../database/sqlite-context.js";

interface ResultRow {
  uuid: string;
  value: string;
}

/**
 * Results per `(queue, uuid)`, indexed by `(queue, progenitorUuid)` for descendants. Expired rows
 * are ignored by every read and deleted by the next write of the namespace. Methods run inside a
 * transaction opened by the backend.
 */
export class ResultTable {
  readonly #ctx: SqliteContext;
  readonly #upsert;
  readonly #select;
  readonly #delete;
  readonly #descendants;
  readonly #purge;

  constructor(ctx: SqliteContext) {
    this.#ctx = ctx;
    const { db } = ctx;
    this.#upsert = db.prepare(
      `INSERT INTO alsek_results (ns, queue, uuid, value, progenitor_uuid, written_at, expires_at)
       VALUES (@ns, @queue, @uuid, @value, @progenitor, @now, @expiresAt)
       ON CONFLICT (ns, queue, uuid) DO UPDATE SET value = excluded.value,
         progenitor_uuid = excluded.progenitor_uuid, written_at = excluded.written_at,
         expires_at = excluded.expires_at`,
    );
    this.#select = db.prepare(
      `SELECT uuid, value FROM alsek_results
       WHERE ns = ? AND queue = ? AND uuid = ? AND (expires_at IS NULL OR expires_at > ?)`,
    );
    this.#delete = db.prepare("DELETE FROM alsek_results WHERE ns = ? AND queue = ? AND uuid = ?");
    this.#descendants = db.prepare(
      `SELECT uuid FROM alsek_results
       WHERE ns = ? AND queue = ? AND progenitor_uuid = ? AND (expires_at IS NULL OR expires_at > ?)
       ORDER BY written_at, id`,
    );
    this.#purge = db.prepare("DELETE FROM alsek_results WHERE ns = ? AND expires_at <= ?");
  }

  /** Store (or overwrite) one result. */
  write(ref: MessageRef, result: ResultWrite): void {
    const now = this.#ctx.now();
    this.#purge.run(this.#ctx.ns, now);
    this.#upsert.run({
      ns: this.#ctx.ns,
      queue: ref.queue,
      uuid: ref.uuid,
      value: this.#ctx.serializer.forward(result.value),
      progenitor: result.progenitorUuid,
      now,
      expiresAt: result.ttlMs === null ? null : now + result.ttlMs,
    });
  }

  /** Read results; delete the ones read unless `keep`. */
  read(refs: readonly MessageRef[], keep: boolean): (StoredResult | null)[] {
    const now = this.#ctx.now();
    return refs.map((ref) => {
      const row = this.#select.get(this.#ctx.ns, ref.queue, ref.uuid, now) as ResultRow | undefined;
      if (row === undefined) return null;
      if (!keep) this.#delete.run(this.#ctx.ns, ref.queue, ref.uuid);
      return { uuid: row.uuid, value: this.#ctx.serializer.reverse(row.value) };
    });
  }

  /** Uuids indexed under a progenitor, oldest write first. */
  descendants(queue: string, progenitorUuid: string): string[] {
    const rows = this.#descendants.all(this.#ctx.ns, queue, progenitorUuid, this.#ctx.now()) as {
      uuid: string;
    }[];
    return rows.map((row) => row.uuid);
  }

  /** Delete results; counts those that existed (and had not expired). */
  delete(refs: readonly MessageRef[]): number {
    const now = this.#ctx.now();
    let existed = 0;
    for (const ref of refs) {
      if (this.#select.get(this.#ctx.ns, ref.queue, ref.uuid, now) !== undefined) existed += 1;
      this.#delete.run(this.#ctx.ns, ref.queue, ref.uuid);
    }
    return existed;
  }
}
