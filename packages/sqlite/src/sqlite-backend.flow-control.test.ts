// Pause, resume and rate limits on SqliteBackend under real pool engines: three backends on one
// database file stand for three processes.
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
    const backends = Array.from({ length: count }, () => new SqliteBackend(dir.path(), { namespace }));
    return {
      backends,
      cleanup: async () => {
        for (const backend of backends) await backend.close();
      },
    };
  },
});
