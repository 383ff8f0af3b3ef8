import type { MessageData, ScheduleRef, StoredSchedule } from "@alsek/core";
import type { SqliteContext } from "../database/sqlite-context.js";

interface ScheduleRow {
  queue: string;
  name: string;
  trigger: string;
  definition: string;
  revision: string;
  template: string;
  next_at: number | null;
  paused: number;
  fires: number;
}

/** What {@link ScheduleTable.store} writes: a schedule created or replaced. */
export interface ScheduleRecord extends ScheduleRef {
  trigger: string;
  definition: string;
  revision: string;
  /** The template, already encoded. */
  template: string;
  nextAt: number | null;
  paused: boolean;
}

/**
 * Stored schedules (`alsek_schedules`, one row per queue and task name). Every method runs inside
 * the backend's transaction; the fire's compare-and-set and its submit share one.
 */
export class ScheduleTable {
  readonly #ctx: SqliteContext;
  readonly #s;

  constructor(ctx: SqliteContext) {
    this.#ctx = ctx;
    const { db } = ctx;
    const columns = "queue, name, trigger, definition, revision, template, next_at, paused, fires";
    this.#s = {
      find: db.prepare(`SELECT ${columns} FROM alsek_schedules WHERE ns = ? AND queue = ? AND name = ?`),
      list: db.prepare(`SELECT ${columns} FROM alsek_schedules WHERE ns = ? AND queue = ? ORDER BY name`),
      store: db.prepare(
        `INSERT INTO alsek_schedules (ns, queue, name, trigger, definition, revision, template, next_at, paused, fires)
         VALUES (@ns, @queue, @name, @trigger, @definition, @revision, @template, @nextAt, @paused, 0)
         ON CONFLICT (ns, queue, name) DO UPDATE SET trigger = excluded.trigger, definition = excluded.definition,
           revision = excluded.revision, template = excluded.template, next_at = excluded.next_at,
           paused = excluded.paused, fires = 0`,
      ),
      advance: db.prepare(
        "UPDATE alsek_schedules SET next_at = ?, fires = fires + ?, last_fire = COALESCE(?, last_fire) WHERE ns = ? AND queue = ? AND name = ?",
      ),
      lastFire: db.prepare("SELECT last_fire FROM alsek_schedules WHERE ns = ? AND queue = ? AND name = ?"),
      pause: db.prepare("UPDATE alsek_schedules SET paused = ? WHERE ns = ? AND queue = ? AND name = ?"),
      delete: db.prepare("DELETE FROM alsek_schedules WHERE ns = ? AND queue = ? AND name = ?"),
    };
  }

  /** The stored schedule, or `null`. */
  find(ref: ScheduleRef): StoredSchedule | null {
    const row = this.#s.find.get(this.#ctx.ns, ref.queue, ref.name) as ScheduleRow | undefined;
    return row === undefined ? null : this.#decode(row);
  }

  /** The schedules of `queue`, by name. */
  list(queue: string): StoredSchedule[] {
    return (this.#s.list.all(this.#ctx.ns, queue) as ScheduleRow[]).map((row) => this.#decode(row));
  }

  /** Creates or replaces a schedule (its fire count starts again). */
  store(record: ScheduleRecord): void {
    this.#s.store.run({ ...record, ns: this.#ctx.ns, paused: record.paused ? 1 : 0 });
  }

  /**
   * Moves the schedule to its next slot; `fired` (the fire's `<slot>:<uuid>`, or `null` for a slot
   * passed while paused) counts a fire and is remembered, so that fire re-sent is recognised.
   */
  advance(ref: ScheduleRef, nextAt: number | null, fired: string | null): void {
    this.#s.advance.run(nextAt, fired === null ? 0 : 1, fired, this.#ctx.ns, ref.queue, ref.name);
  }

  /** `<slot>:<uuid>` of the schedule's last fire that submitted, or `null`. */
  lastFire(ref: ScheduleRef): string | null {
    const row = this.#s.lastFire.get(this.#ctx.ns, ref.queue, ref.name) as { last_fire: string | null } | undefined;
    return row?.last_fire ?? null;
  }

  /** Sets the paused flag; whether the schedule exists. */
  pause(ref: ScheduleRef, paused: boolean): boolean {
    return this.#s.pause.run(paused ? 1 : 0, this.#ctx.ns, ref.queue, ref.name).changes > 0;
  }

  /** Deletes the schedule; whether it existed. */
  delete(ref: ScheduleRef): boolean {
    return this.#s.delete.run(this.#ctx.ns, ref.queue, ref.name).changes > 0;
  }

  #decode(row: ScheduleRow): StoredSchedule {
    return {
      queue: row.queue,
      name: row.name,
      trigger: row.trigger,
      definition: row.definition,
      revision: row.revision,
      template: this.#ctx.serializer.reverse(row.template) as MessageData,
      nextAt: row.next_at,
      paused: row.paused === 1,
      fires: row.fires,
    };
  }
}
