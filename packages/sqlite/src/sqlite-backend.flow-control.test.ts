// Pause, resume and rate limits on SqliteBackend under real pool engines: three backends (three
// connections) on one database file, three pools in this process. The limit is counted exactly on
// claim times, in the claim's BEGIN IMMEDIATE transaction, and checked on those times (the
// `started` events). Start times lag claims more on SQLite than elsewhere: every ack is a
// synchronous disk transaction, so the acks of one batch hold back the starts of the next.
import { randomUUID } from "node:crypto";
import { describeFlowControlPool } from "@alsek/test-support/pool-behaviour";
import { afterAll } from "vitest";
import { tempDirectory } from "./__fixtures__/temp-database.js";
import { SqliteBackend } from "./index.js";

const dir = tempDirectory();
afterAll(() => dir.remove());

describeFlowControlPool("SqliteBackend", {
  createBackends: async (count) => {
    const namespace = `flow_${randomUUID().slice(0, 8)}`;
    const backends = Array.from({ length: count }, () => new SqliteBackend(dir.path(), { namespace, events: true }));
    return {
      backends,
      cleanup: async () => {
        for (const backend of backends) await backend.close();
      },
    };
  },
});
