// The suite on the reference backend, MemoryBackend (core cannot run it: this package depends on
// core). Core's own tests cover MemoryBackend beyond the contract.
import { type Backend, MemoryBackend, MemoryStore, type MessageRef } from "@alsek/core";
import { describeBackendConformance } from "./index.js";

/** Overwrite the stored text of a queued message, as a bad producer would. */
async function replaceMemoryPayload(backend: Backend, ref: MessageRef, payload: string): Promise<void> {
  const memory = backend as MemoryBackend;
  const entry = memory.store.namespace(memory.namespace).queues.get(ref.queue)?.entries.get(ref.uuid);
  if (entry === undefined) throw new Error(`No stored message ${ref.uuid} to replace.`);
  entry.text = payload;
}

const store = new MemoryStore();
describeBackendConformance(
  "MemoryBackend",
  async ({ namespace, eventStreamLength }) => {
    const events = eventStreamLength === undefined ? false : { maxLength: eventStreamLength };
    const backend = new MemoryBackend({ namespace, store, events });
    return { backend, cleanup: () => backend.close() };
  },
  { replaceStoredPayload: replaceMemoryPayload },
);
