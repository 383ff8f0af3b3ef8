import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh directory for database files, and a function removing it. */
export function tempDirectory(): { path: (name?: string) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "alsek-sqlite-"));
  return {
    path: (name = "alsek.db") => join(dir, name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
