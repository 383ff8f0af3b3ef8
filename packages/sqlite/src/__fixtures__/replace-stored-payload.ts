import type { Backend, MessageRef } from "@alsek/core";
import Database from "better-sqlite3";

/**
 * Overwrite the stored data of a queued message in the database file at `path`, through a
 * connection of its own, as another process storing a bad row would.
 */
export function storedPayloadReplacer(path: string) {
  return async (backend: Backend, ref: MessageRef, payload: string): Promise<void> => {
    const db = new Database(path);
    try {
      const { changes } = db
        .prepare("UPDATE alsek_messages SET data = ? WHERE ns = ? AND queue = ? AND uuid = ?")
        .run(payload, backend.namespace, ref.queue, ref.uuid);
      if (changes !== 1) throw new Error(`No stored message ${ref.uuid} to replace.`);
    } finally {
      db.close();
    }
  };
}
