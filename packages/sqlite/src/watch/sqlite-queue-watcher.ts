import { ChurnSet, type QueueWatcher } from "@alsek/core";
import type { SqliteDatabase } from "../database/open-database.js";
import type { ChangeNotifier } from "./change-notifier.js";

interface Waiter {
  resolve(): void;
}

/**
 * A {@link QueueWatcher} over SQLite. Commits through this connection arrive at once through the
 * {@link ChangeNotifier}. Commits by other processes are found by polling, and only while someone
 * waits: every `pollIntervalMs` it reads `PRAGMA data_version` (which moves only when another
 * connection committed, and costs no table read), and only then compares the queues' rows in
 * `alsek_signals`.
 */
export class SqliteQueueWatcher implements QueueWatcher {
  readonly #db: SqliteDatabase;
  readonly #ns: string;
  readonly #queues: ReadonlySet<string>;
  readonly #pollIntervalMs: number;
  readonly #readSignals;
  readonly #unlisten: () => void;
  readonly #onClose: () => void;
  /** A waiter per idle wait: churn-safe (see `ChurnSet`). */
  readonly #waiters = new ChurnSet<Waiter>();
  #version = 0;
  #dataVersion: number;
  #signals: string;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(
    db: SqliteDatabase,
    ns: string,
    queues: readonly string[],
    pollIntervalMs: number,
    notifier: ChangeNotifier,
    onClose: () => void = () => {},
  ) {
    this.#onClose = onClose;
    this.#db = db;
    this.#ns = ns;
    this.#queues = new Set(queues);
    this.#pollIntervalMs = pollIntervalMs;
    const placeholders = queues.map(() => "?").join(", ");
    this.#readSignals = db.prepare(
      `SELECT queue, version FROM alsek_signals WHERE ns = ? AND queue IN (${placeholders || "NULL"})
       ORDER BY queue`,
    );
    // data_version first: a commit landing between the two reads then shows up at the next poll.
    this.#dataVersion = this.#readDataVersion();
    this.#signals = this.#snapshot();
    this.#unlisten = notifier.listen((changedNs, changed) => {
      if (changedNs !== this.#ns) return;
      for (const queue of changed) {
        if (this.#queues.has(queue)) {
          this.#bump();
          return;
        }
      }
    });
  }

  get version(): number {
    return this.#version;
  }

  waitForChange(sinceVersion: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.#closed || this.#version !== sinceVersion || signal?.aborted === true) {
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const waiter: Waiter = {
        resolve: () => {
          clearTimeout(timeout);
          signal?.removeEventListener("abort", waiter.resolve);
          this.#waiters.delete(waiter);
          if (this.#waiters.size === 0) this.#stopPolling();
          resolve();
        },
      };
      const timeout = setTimeout(waiter.resolve, Math.max(0, timeoutMs));
      signal?.addEventListener("abort", waiter.resolve, { once: true });
      this.#waiters.add(waiter);
      this.#startPolling();
      this.#poll();
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#unlisten();
    this.#onClose();
    for (const waiter of [...this.#waiters]) waiter.resolve();
    this.#stopPolling();
  }

  #startPolling(): void {
    if (this.#timer !== null) return;
    this.#timer = setInterval(() => this.#poll(), this.#pollIntervalMs);
  }

  #stopPolling(): void {
    if (this.#timer === null) return;
    clearInterval(this.#timer);
    this.#timer = null;
  }

  #poll(): void {
    if (this.#closed || this.#waiters.size === 0) return;
    try {
      const dataVersion = this.#readDataVersion();
      if (dataVersion === this.#dataVersion) return;
      this.#dataVersion = dataVersion;
      const signals = this.#snapshot();
      if (signals === this.#signals) return;
      this.#signals = signals;
      this.#bump();
    } catch {
      // The connection closed or is busy: waiting must never reject, so let the timeout end it.
    }
  }

  #bump(): void {
    this.#version += 1;
    for (const waiter of [...this.#waiters]) waiter.resolve();
  }

  #readDataVersion(): number {
    return this.#db.pragma("data_version", { simple: true }) as number;
  }

  #snapshot(): string {
    const rows = this.#readSignals.all(this.#ns, ...this.#queues) as {
      queue: string;
      version: number;
    }[];
    return rows.map((row) => `${row.queue}=${row.version}`).join(",");
  }
}
