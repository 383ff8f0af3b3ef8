import type { QueueWatcher } from "../backend/types.js";

/**
 * The {@link QueueWatcher} of `MemoryBackend`: the backend calls {@link bump} when work may have
 * arrived on a watched queue, which wakes every pending `waitForChange`.
 */
export class MemoryQueueWatcher implements QueueWatcher {
  #version = 0;
  #closed = false;
  readonly #waiters = new Set<() => void>();
  readonly #onClose: (watcher: MemoryQueueWatcher) => void;

  /** @param onClose - Unregisters the watcher from its backend. */
  constructor(onClose: (watcher: MemoryQueueWatcher) => void) {
    this.#onClose = onClose;
  }

  get version(): number {
    return this.#version;
  }

  /** Record that work may have arrived and wake the waiters. */
  bump(): void {
    this.#version += 1;
    this.#wakeAll();
  }

  waitForChange(sinceVersion: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.#closed || this.#version !== sinceVersion || signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        this.#waiters.delete(done);
        resolve();
      };
      // A non-finite or negative timeout would make setTimeout fire at once; treat it as "long".
      const delay = Number.isFinite(timeoutMs) ? Math.max(0, timeoutMs) : 2 ** 31 - 1;
      const timer = setTimeout(done, Math.min(delay, 2 ** 31 - 1));
      signal?.addEventListener("abort", done, { once: true });
      this.#waiters.add(done);
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#onClose(this);
    this.#wakeAll();
  }

  #wakeAll(): void {
    for (const wake of [...this.#waiters]) wake();
  }
}
