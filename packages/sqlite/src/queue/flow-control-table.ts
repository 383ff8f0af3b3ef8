import { admitFromWindow, type QueueControl, type RateLimit, type WindowAdmission } from "@alsek/core";
import type { SqliteContext } from "../database/sqlite-context.js";

interface ControlRow {
  task: string;
  paused: number;
  max: number | null;
  duration_ms: number | null;
  window: string;
}

/** A rate limit with its window of claim times, as one claim reads and updates it. */
interface OpenWindow {
  task: string;
  limit: RateLimit;
  window: number[];
  /** Entries this claim added (at the end of `window`). */
  added: number;
}

/** The row of the queue itself; task rows name their task. */
const QUEUE_ROW = "";

/**
 * The flow control of one queue during one claim transaction: read once by {@link
 * FlowControlTable.open}, consulted per message, written back by {@link FlowControlTable.save}.
 */
export class QueueFlow {
  readonly paused: boolean;
  readonly #queue: OpenWindow | null;
  readonly #tasks: Map<string, OpenWindow>;

  constructor(paused: boolean, queue: OpenWindow | null, tasks: Map<string, OpenWindow>) {
    this.paused = paused;
    this.#queue = queue;
    this.#tasks = tasks;
  }

  /** Whether any task of the queue has a limit. */
  get hasTaskLimits(): boolean {
    return this.#tasks.size > 0;
  }

  /** What the queue's own limit allows now (`Infinity` without one). */
  admitQueue(now: number): WindowAdmission {
    const queue = this.#queue;
    return queue === null ? { allowed: Infinity, freeAt: null } : admitFromWindow(queue.window, queue.limit, now);
  }

  /** What `task`'s limit allows now (`Infinity` without one). */
  admitTask(task: string, now: number): WindowAdmission {
    const limited = this.#tasks.get(task);
    return limited === undefined ? { allowed: Infinity, freeAt: null } : admitFromWindow(limited.window, limited.limit, now);
  }

  /** The limit of `task`, if any. */
  taskLimit(task: string): RateLimit | undefined {
    return this.#tasks.get(task)?.limit;
  }

  /** Counts one claim of a message of `task` at `now` in the windows that limit it. */
  record(task: string | null, now: number): void {
    for (const window of [this.#queue, task === null ? undefined : this.#tasks.get(task)]) {
      if (window === null || window === undefined) continue;
      window.window.push(now);
      window.added += 1;
    }
  }

  /**
   * The windows a claim changed, with the entries it added stamped `at` (the end of the claim's
   * work, later than the time it started with): a claim of many rows takes a while, and the
   * window must not free before the messages it took could start.
   */
  changedWindows(at: number): OpenWindow[] {
    const changed = [this.#queue, ...this.#tasks.values()].filter((w): w is OpenWindow => (w?.added ?? 0) > 0);
    for (const w of changed) w.window.fill(at, w.window.length - w.added);
    return changed;
  }
}

/**
 * Pause flags and rate limits per queue (`alsek_flow_control`). Claims read a queue's rows once
 * per claim (one indexed SELECT that finds nothing when the queue has no flow control) inside their
 * transaction, so every process counts in the same windows.
 */
export class FlowControlTable {
  readonly #ctx: SqliteContext;
  readonly #s;

  constructor(ctx: SqliteContext) {
    this.#ctx = ctx;
    const { db } = ctx;
    this.#s = {
      rows: db.prepare(
        "SELECT task, paused, max, duration_ms, window FROM alsek_flow_control WHERE ns = ? AND queue = ? ORDER BY task",
      ),
      setPaused: db.prepare(
        `INSERT INTO alsek_flow_control (ns, queue, task, paused) VALUES (?, ?, '', ?)
         ON CONFLICT (ns, queue, task) DO UPDATE SET paused = excluded.paused`,
      ),
      setLimit: db.prepare(
        `INSERT INTO alsek_flow_control (ns, queue, task, max, duration_ms) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (ns, queue, task) DO UPDATE SET max = excluded.max, duration_ms = excluded.duration_ms`,
      ),
      deleteTask: db.prepare("DELETE FROM alsek_flow_control WHERE ns = ? AND queue = ? AND task = ?"),
      // The queue's row goes once it holds nothing: the claim's SELECT then finds no row at all.
      pruneQueueRow: db.prepare(
        `DELETE FROM alsek_flow_control
         WHERE ns = ? AND queue = ? AND task = '' AND paused = 0 AND max IS NULL`,
      ),
      saveWindow: db.prepare("UPDATE alsek_flow_control SET window = ? WHERE ns = ? AND queue = ? AND task = ?"),
    };
  }

  /** The flow control of `queue` for one claim, or `null` when the queue has none. */
  open(queue: string): QueueFlow | null {
    const rows = this.#s.rows.all(this.#ctx.ns, queue) as ControlRow[];
    if (rows.length === 0) return null;
    let paused = false;
    let queueWindow: OpenWindow | null = null;
    const tasks = new Map<string, OpenWindow>();
    for (const row of rows) {
      if (row.task === QUEUE_ROW) paused = row.paused === 1;
      if (row.max === null || row.duration_ms === null) continue;
      const window: OpenWindow = {
        task: row.task,
        limit: { max: row.max, durationMs: row.duration_ms },
        window: JSON.parse(row.window) as number[],
        added: 0,
      };
      if (row.task === QUEUE_ROW) queueWindow = window;
      else tasks.set(row.task, window);
    }
    return new QueueFlow(paused, queueWindow, tasks);
  }

  /** Writes back the windows `flow` changed. Call inside the claim's transaction. */
  save(queue: string, flow: QueueFlow): void {
    for (const window of flow.changedWindows(this.#ctx.now())) {
      this.#s.saveWindow.run(JSON.stringify(window.window), this.#ctx.ns, queue, window.task);
    }
  }

  setPaused(queue: string, paused: boolean): void {
    this.#s.setPaused.run(this.#ctx.ns, queue, paused ? 1 : 0);
    this.#s.pruneQueueRow.run(this.#ctx.ns, queue);
  }

  setRateLimit(queue: string, limit: RateLimit | null, task: string | undefined): void {
    const ns = this.#ctx.ns;
    if (task !== undefined && limit === null) this.#s.deleteTask.run(ns, queue, task);
    else this.#s.setLimit.run(ns, queue, task ?? QUEUE_ROW, limit?.max ?? null, limit?.durationMs ?? null);
    this.#s.pruneQueueRow.run(ns, queue);
  }

  read(queue: string): QueueControl {
    const control: QueueControl = { paused: false, rateLimit: null, taskRateLimits: {} };
    for (const row of this.#s.rows.all(this.#ctx.ns, queue) as ControlRow[]) {
      const limit = row.max === null || row.duration_ms === null ? null : { max: row.max, durationMs: row.duration_ms };
      if (row.task === QUEUE_ROW) {
        control.paused = row.paused === 1;
        control.rateLimit = limit;
      } else if (limit !== null) {
        control.taskRateLimits[row.task] = limit;
      }
    }
    return control;
  }
}
