// Pool-level poison messages on SqliteBackend: the shared engine with an in-process executor.
import { randomUUID } from "node:crypto";
import { describePoisonMessagePool } from "@alsek/test-support/pool-behaviour";
import { afterAll } from "vitest";
import { storedPayloadReplacer } from "./__fixtures__/replace-stored-payload.js";
import { tempDirectory } from "./__fixtures__/temp-database.js";
import { SqliteBackend } from "./index.js";

const dir = tempDirectory();
afterAll(() => dir.remove());

describePoisonMessagePool("SqliteBackend", {
  createBackend: async () => {
    const backend = new SqliteBackend(dir.path(), { namespace: `pool_${randomUUID().slice(0, 8)}` });
    return { backend, cleanup: () => backend.close() };
  },
  replaceStoredPayload: storedPayloadReplacer(dir.path()),
});
