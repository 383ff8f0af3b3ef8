/**
 * The messages for one child process, collected over a tick and written together: one IPC write
 * (and one wake-up of the child) for everything the pool decided in that tick, such as the
 * standbys that refill a queue after several outcomes arrived in one read. Written in a microtask,
 * so in order, before the pool's event loop turns again.
 */
export class ProcessOutbox<Message> {
  readonly #write: (batch: Message[]) => void;
  #pending: Message[] = [];

  /** `write`: sends one batch to the child (in order; never empty). */
  constructor(write: (batch: Message[]) => void) {
    this.#write = write;
  }

  /** Queue `message` for this tick's write. */
  push(message: Message): void {
    this.#pending.push(message);
    if (this.#pending.length === 1) queueMicrotask(() => this.#flush());
  }

  #flush(): void {
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length > 0) this.#write(batch);
  }
}
