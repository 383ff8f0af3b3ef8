import type { Backend } from "../backend/backend.js";
import type { MessageRef } from "../backend/types.js";
import type { MemoryBackend } from "../memory/memory-backend.js";

/** Overwrite the stored text of a queued message of a `MemoryBackend`, as a bad producer would. */
export async function replaceMemoryPayload(backend: Backend, ref: MessageRef, payload: string): Promise<void> {
  const memory = backend as MemoryBackend;
  const entry = memory.store.namespace(memory.namespace).queues.get(ref.queue)?.entries.get(ref.uuid);
  if (entry === undefined) throw new Error(`No stored message ${ref.uuid} to replace.`);
  entry.text = payload;
}
