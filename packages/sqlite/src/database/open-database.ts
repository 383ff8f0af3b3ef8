import { PermanentBackendError } from "@alsek/core";
import Database from "better-sqlite3";
import { SCHEMA_SQL, SCHEMA_VERSION } from "./schema.js";

/** A better-sqlite3 connection. */
export type SqliteDatabase = Database.Database;

/**
 * Open (or adopt) a connection and make it ready for several processes: a busy timeout so writers
 * queue up instead of failing with `SQLITE_BUSY`, WAL so readers never block the writer, and the
 * schema created if missing.
 */
export function openDatabase(source: string | SqliteDatabase, busyTimeoutMs: number): SqliteDatabase {
  const db = typeof source === "string" ? new Database(source) : source;
  try {
    // busy_timeout first: switching to WAL and creating tables both need locks another process may hold.
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    if (!db.memory) {
      db.pragma("journal_mode = WAL");
      // With WAL, NORMAL never corrupts the file; only a power loss may drop the last commits.
      db.pragma("synchronous = NORMAL");
    }
    ensureSchema(db);
  } catch (error) {
    if (typeof source === "string") db.close();
    throw error;
  }
  return db;
}

function ensureSchema(db: SqliteDatabase): void {
  db.transaction(() => {
    db.exec(SCHEMA_SQL);
    // Added to an existing table (CREATE TABLE IF NOT EXISTS leaves a file's older layout as it was).
    const kvColumns = db.prepare("PRAGMA table_info(alsek_kv)").all() as { name: string }[];
    if (!kvColumns.some((column) => column.name === "rank")) db.exec("ALTER TABLE alsek_kv ADD COLUMN rank INTEGER");
    const row = db.prepare("SELECT value FROM alsek_meta WHERE key = 'schema_version'").get() as
      | { value: string }
      | undefined;
    if (row === undefined) {
      db.prepare("INSERT INTO alsek_meta (key, value) VALUES ('schema_version', ?)").run(
        String(SCHEMA_VERSION),
      );
      return;
    }
    const found = Number(row.value);
    if (found > SCHEMA_VERSION) {
      throw new PermanentBackendError(
        `The SQLite database uses Alsek schema version ${found}, newer than the version ` +
          `${SCHEMA_VERSION} this @alsek/sqlite understands. Upgrade @alsek/sqlite in this process.`,
      );
    }
  }).immediate();
}
