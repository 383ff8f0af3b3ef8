// Pool-level poison messages on MemoryBackend, run by the real pool engine with an in-process
// executor (a MemoryBackend cannot be shared with worker threads or child processes).
import { MemoryBackend, type Backend, type MessageRef } from "@alsek/core";
import { describePoisonMessagePool } from "./describe-poison-message-pool.js";

/** Overwrite the stored text of a queued message, as a bad producer would. */
async function replaceMemoryPayload(backend: Backend, ref: MessageRef, payload: string): Promise<void> {
  const memory = backend as MemoryBackend;
  const entry = memory.store.namespace(memory.namespace).queues.get(ref.queue)?.entries.get(ref.uuid);
  if (entry === undefined) throw new Error(`No stored message ${ref.uuid} to replace.`);
  entry.text = payload;
}

describePoisonMessagePool("MemoryBackend", {
  createBackend: async () => {
    const backend = new MemoryBackend();
    return { backend, cleanup: () => backend.close() };
  },
  replaceStoredPayload: replaceMemoryPayload,
});
