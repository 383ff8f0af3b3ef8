// Pause, resume and rate limits on MemoryBackend under real pool engines (three backends on one
// store stand for three hosts).
import { MemoryBackend, MemoryStore } from "@alsek/core";
import { describeFlowControlPool } from "./describe-flow-control-pool.js";

describeFlowControlPool("MemoryBackend", {
  createBackends: async (count) => {
    const store = new MemoryStore();
    const backends = Array.from({ length: count }, () => new MemoryBackend({ store, events: true }));
    return {
      backends,
      cleanup: async () => {
        for (const backend of backends) await backend.close();
      },
    };
  },
});
