// Pool-level poison messages on MemoryBackend: the shared engine with an in-process executor.
import { describePoisonMessagePool } from "@alsek/test-support/pool-behaviour";
import { replaceMemoryPayload } from "../__fixtures__/replace-memory-payload.js";
import { MemoryBackend } from "../memory/index.js";

describePoisonMessagePool("MemoryBackend", {
  createBackend: async () => {
    const backend = new MemoryBackend();
    return { backend, cleanup: () => backend.close() };
  },
  replaceStoredPayload: replaceMemoryPayload,
});
