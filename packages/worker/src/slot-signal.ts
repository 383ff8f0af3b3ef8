/**
 * Wakes the pool's claim loop (or its drain) when a slot frees, instead of letting it sleep until
 * its next look. One waiter at a time: the loop that waits is the only one that claims.
 */
export class SlotSignal {
  #waiter: (() => void) | null = null;

  /** Whether someone waits now: a slot freeing then wakes it. */
  get waiting(): boolean {
    return this.#waiter !== null;
  }

  /** Resolves on the next {@link notify}, or after `maxWaitMs` at the latest. */
  wait(maxWaitMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.#waiter === done) this.#waiter = null;
        resolve();
      };
      const timer = setTimeout(done, maxWaitMs);
      this.#waiter = done;
    });
  }

  /** Wake the waiter, if any. */
  notify(): void {
    this.#waiter?.();
  }
}
