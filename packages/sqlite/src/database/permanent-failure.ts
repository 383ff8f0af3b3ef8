import type { SqliteDatabase } from "./open-database.js";

/**
 * SQLite result codes retrying cannot fix (subcodes such as `SQLITE_READONLY_DBMOVED` share their
 * prefix). `SQLITE_BUSY`, `SQLITE_LOCKED`, `SQLITE_FULL` and I/O errors may pass and stay transient.
 */
const PERMANENT_CODES: readonly [prefix: string, what: string][] = [
  ["SQLITE_NOTADB", "is not a SQLite database"],
  ["SQLITE_CORRUPT", "is corrupt"],
  ["SQLITE_CANTOPEN", "cannot be opened"],
  ["SQLITE_READONLY", "is read-only for this process"],
  ["SQLITE_PERM", "may not be accessed by this process"],
  ["SQLITE_AUTH", "refused this process"],
];

/**
 * What to tell the user when `error` (from better-sqlite3) is a failure retrying cannot fix;
 * `null` when it is transient.
 */
export function describePermanentFailure(error: unknown, source: string | SqliteDatabase): string | null {
  if (!(error instanceof Error)) return null;
  const file = typeof source === "string" ? source : source.name;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") {
    const known = PERMANENT_CODES.find(([prefix]) => code.startsWith(prefix));
    if (known) {
      return `The SQLite database ${file} ${known[1]} (${code}: ${error.message}); point the backend at the right file, or fix its permissions.`;
    }
  }
  // better-sqlite3 checks the folder itself, before SQLite has a say.
  if (/directory does not exist/.test(error.message)) {
    return `The SQLite database ${file} cannot be created: ${error.message}. Create the folder or point the backend at another file.`;
  }
  return null;
}
