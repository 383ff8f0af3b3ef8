import type { SqliteDatabase } from "../database/open-database.js";

/** Receives the namespace and the queues a committed transaction may have given new work. */
export type ChangeListener = (ns: string, queues: ReadonlySet<string>) => void;

/**
 * Tells watchers in this process about commits made through the same connection at once.
 * SQLite's `data_version` only moves for commits of *other* connections, so without this a
 * watcher would never see its own backend's (or a sibling backend sharing the connection's) work.
 */
export class ChangeNotifier {
  readonly #listeners = new Set<ChangeListener>();

  /** Start receiving notices; returns the function that stops them. */
  listen(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Tell every listener. */
  notify(ns: string, queues: ReadonlySet<string>): void {
    if (queues.size === 0) return;
    for (const listener of this.#listeners) listener(ns, queues);
  }
}

const notifiers = new WeakMap<SqliteDatabase, ChangeNotifier>();

/** The notifier of one connection, shared by every backend built on it. */
export function notifierFor(db: SqliteDatabase): ChangeNotifier {
  let notifier = notifiers.get(db);
  if (notifier === undefined) {
    notifier = new ChangeNotifier();
    notifiers.set(db, notifier);
  }
  return notifier;
}
