import { THROUGHPUT_MINUTES, type ThroughputMinute } from "@alsek/core";
import type { SqliteContext } from "../database/sqlite-context.js";

const MINUTE_MS = 60_000;

/**
 * Acks and failures per queue per minute. Bumped inside the ack and fail transactions (one
 * upsert), so counting costs no extra transaction; rows older than an hour are deleted once per
 * minute per process.
 */
export class ThroughputTable {
  readonly #ctx: SqliteContext;
  readonly #s;
  #prunedMinute = 0;

  constructor(ctx: SqliteContext) {
    this.#ctx = ctx;
    const { db } = ctx;
    this.#s = {
      completed: db.prepare(
        `INSERT INTO alsek_throughput (ns, queue, minute, completed) VALUES (?, ?, ?, 1)
         ON CONFLICT (ns, queue, minute) DO UPDATE SET completed = completed + 1`,
      ),
      failed: db.prepare(
        `INSERT INTO alsek_throughput (ns, queue, minute, failed) VALUES (?, ?, ?, 1)
         ON CONFLICT (ns, queue, minute) DO UPDATE SET failed = failed + 1`,
      ),
      prune: db.prepare("DELETE FROM alsek_throughput WHERE ns = ? AND minute <= ?"),
      read: db.prepare(
        `SELECT minute, completed, failed FROM alsek_throughput
         WHERE ns = ? AND queue = ? AND minute > ? AND minute <= ?`,
      ),
    };
  }

  /** Count one ack or failure of `queue` now. Call inside the transaction that made it. */
  bump(queue: string, kind: "completed" | "failed"): void {
    const minute = Math.floor(this.#ctx.now() / MINUTE_MS);
    if (minute !== this.#prunedMinute) {
      this.#prunedMinute = minute;
      this.#s.prune.run(this.#ctx.ns, minute - THROUGHPUT_MINUTES);
    }
    this.#s[kind].run(this.#ctx.ns, queue, minute);
  }

  /** The last `minutes` minutes of `queue`, oldest first, zeros included. */
  read(queue: string, minutes: number): ThroughputMinute[] {
    const current = Math.floor(this.#ctx.now() / MINUTE_MS);
    const rows = this.#s.read.all(this.#ctx.ns, queue, current - minutes, current) as {
      minute: number;
      completed: number;
      failed: number;
    }[];
    const byMinute = new Map(rows.map((row) => [row.minute, row]));
    const out: ThroughputMinute[] = [];
    for (let minute = current - minutes + 1; minute <= current; minute++) {
      const row = byMinute.get(minute);
      out.push({ minute: minute * MINUTE_MS, completed: row?.completed ?? 0, failed: row?.failed ?? 0 });
    }
    return out;
  }
}
