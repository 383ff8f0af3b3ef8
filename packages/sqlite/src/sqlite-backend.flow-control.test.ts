// Pause, resume and rate limits on SqliteBackend under real pool engines: three backends (three
// connections) on one database file, three pools in this process. The limit is counted exactly on
// claim times, in the claim's BEGIN IMMEDIATE transaction. Start times lag claims more on SQLite
// than elsewhere: every ack is a synchronous disk transaction (and in separate processes a
// synchronous wait for the file's write lock), so the acks of one batch hold back the starts of
// the next claimed one by up to ~150 ms here. The rate-limit test therefore checks windows of
// 800 ms of start times (see `startLagMs`); Redis and Memory are checked on full seconds.
import { randomUUID } from "node:crypto";
import { describeFlowControlPool } from "@alsek/test-support/pool-behaviour";
import { afterAll } from "vitest";
import { tempDirectory } from "./__fixtures__/temp-database.js";
import { SqliteBackend } from "./index.js";

const dir = tempDirectory();
afterAll(() => dir.remove());

describeFlowControlPool("SqliteBackend", {
  startLagMs: 200,
  createBackends: async (count) => {
    const namespace = `flow_${randomUUID().slice(0, 8)}`;
    const backends = Array.from({ length: count }, () => new SqliteBackend(dir.path(), { namespace }));
    return {
      backends,
      cleanup: async () => {
        for (const backend of backends) await backend.close();
      },
    };
  },
});
