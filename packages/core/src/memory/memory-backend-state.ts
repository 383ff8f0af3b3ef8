// Every operation group of a MemoryBackend reads the same namespace through the same serializer,
// refuses to run once the backend is closed, and wakes watchers or delivers notices the same way;
// this holds that shared state so the groups stay small.
import { BackendError } from "../errors/index.js";
import type { Serializer } from "../serializers/serializer.js";
import type { MessageData } from "../messages/message-data.js";
import type { MemoryEventEntry } from "./memory-event-log.js";
import type { MemoryNamespace } from "./memory-store.js";

/** The state one `MemoryBackend` shares between its operation groups. Internal to `MemoryBackend`. */
export class MemoryBackendState {
  /** The namespace of the store this backend reads and writes. */
  readonly ns: MemoryNamespace;
  /** Encodes every stored value and published payload. */
  readonly serializer: Serializer;
  /** Cap of each queue's event stream; `0`: no events are recorded. */
  readonly eventLength: number;
  #closed = false;

  constructor(ns: MemoryNamespace, serializer: Serializer, eventLength = 0) {
    this.ns = ns;
    this.serializer = serializer;
    this.eventLength = eventLength;
  }

  /** Record an event of `queue` (when this backend records events), in the caller's synchronous step. */
  recordEvent(queue: string, entry: MemoryEventEntry, now: number): void {
    if (this.eventLength > 0) this.ns.events.append(queue, entry, this.eventLength, now);
  }

  /** The attempt of a stored message (its `retries`), read only when events are recorded. */
  attemptOf(text: string): number {
    if (this.eventLength === 0) return 0;
    const retries = (this.decode(text) as Partial<MessageData>).retries;
    return typeof retries === "number" ? retries : 0;
  }

  /** Whether the backend has been closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Marks the backend closed; every later call fails in {@link MemoryBackendState.assertOpen}. */
  markClosed(): void {
    this.#closed = true;
  }

  /** Throws a {@link BackendError} once the backend is closed. */
  assertOpen(): void {
    if (this.#closed) {
      throw new BackendError(
        "This MemoryBackend is closed. Create a new one (pass the same `store` to keep its data).",
      );
    }
  }

  /** The stored form of `value`. */
  encode(value: unknown): string {
    return this.serializer.forward(value);
  }

  /** A value from its stored form (a fresh copy each time). */
  decode(text: string): unknown {
    return this.serializer.reverse(text);
  }

  /** Tells the watchers of `queue` that work may be ready. */
  wake(queue: string): void {
    const watchers = this.ns.watchers.get(queue);
    if (watchers !== undefined) for (const watcher of watchers) watcher.bump();
  }

  /** Delivers `text` to the subscribers of `channel`, each in a later microtask. */
  publishText(channel: string, text: string): void {
    const listeners = this.ns.channels.get(channel);
    if (listeners === undefined) return;
    for (const deliver of listeners) {
      // Delivered later, like a real broker, and skipped if unsubscribed in the meantime.
      queueMicrotask(() => {
        if (this.ns.channels.get(channel)?.has(deliver) === true) deliver(text);
      });
    }
  }
}
