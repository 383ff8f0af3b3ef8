import { describeBackendConformance } from "@alsek/backend-conformance";
import { afterAll } from "vitest";
import { storedPayloadReplacer } from "./__fixtures__/replace-stored-payload.js";
import { tempDirectory } from "./__fixtures__/temp-database.js";
import { SqliteBackend } from "./index.js";

const dir = tempDirectory();
afterAll(() => dir.remove());

// One file for every backend of the run: the suite opens second backends on the same storage to
// check isolation and sharing, and each one gets its own connection as another process would.
describeBackendConformance(
  "SqliteBackend",
  async ({ namespace, eventStreamLength }) => {
    const events = eventStreamLength === undefined ? false : { maxLength: eventStreamLength };
    const backend = new SqliteBackend(dir.path(), { namespace, events });
    return { backend, cleanup: () => backend.close() };
  },
  {
    supportsCrossProcessPubSub: true,
    replaceStoredPayload: storedPayloadReplacer(dir.path()),
  },
);
