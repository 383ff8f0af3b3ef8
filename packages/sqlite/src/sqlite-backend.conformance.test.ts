import { describeBackendConformance } from "@alsek/core/conformance";
import Database from "better-sqlite3";
import { afterAll } from "vitest";
import { tempDirectory } from "./__fixtures__/temp-database.js";
import { SqliteBackend } from "./index.js";

const dir = tempDirectory();
afterAll(() => dir.remove());

// One file for every backend of the run: the suite opens second backends on the same storage to
// check isolation and sharing, and each one gets its own connection as another process would.
describeBackendConformance(
  "SqliteBackend",
  async ({ namespace }) => {
    const backend = new SqliteBackend(dir.path(), { namespace });
    return { backend, cleanup: () => backend.close() };
  },
  {
    supportsCrossProcessPubSub: true,
    // Written through a connection of its own, as another process storing a bad row would.
    replaceStoredPayload: async (backend, ref, payload) => {
      const db = new Database(dir.path());
      try {
        const { changes } = db
          .prepare("UPDATE alsek_messages SET data = ? WHERE ns = ? AND queue = ? AND uuid = ?")
          .run(payload, backend.namespace, ref.queue, ref.uuid);
        if (changes !== 1) throw new Error(`No stored message ${ref.uuid} to replace.`);
      } finally {
        db.close();
      }
    },
  },
);
