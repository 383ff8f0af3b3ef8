// Pub/sub and queue watchers reach every backend sharing the store but never leave the process;
// the subscriptions and watchers one backend hands out are tracked so that closing it stops them.
import { validateQueueName } from "../validation/name-rules.js";
import type { QueueWatcher, Subscription } from "../backend/types.js";
import { requireText } from "../validation/argument-checks.js";
import type { MemoryBackendState } from "./memory-backend-state.js";
import { MemoryQueueWatcher } from "./memory-queue-watcher.js";

/** The pub/sub and queue watching of `MemoryBackend`; see the `Backend` contract for each method. */
export class MemoryPubSub {
  readonly #state: MemoryBackendState;
  readonly #watchers = new Set<MemoryQueueWatcher>();
  readonly #subscriptions = new Set<Subscription>();

  constructor(state: MemoryBackendState) {
    this.#state = state;
  }

  /** Delivers `value` to the subscribers of `channel` in this namespace. */
  async publish(channel: string, value: unknown): Promise<void> {
    this.#state.assertOpen();
    this.#state.publishText(requireText("channel", channel), this.#state.encode(value));
  }

  /** Calls `listener` with a copy of each value published on `channel` until unsubscribed. */
  async subscribe(channel: string, listener: (value: unknown) => void): Promise<Subscription> {
    const state = this.#state;
    state.assertOpen();
    requireText("channel", channel);
    const deliver = (text: string): void => listener(state.decode(text));
    let listeners = state.ns.channels.get(channel);
    if (listeners === undefined) state.ns.channels.set(channel, (listeners = new Set()));
    listeners.add(deliver);
    const subscription: Subscription = {
      unsubscribe: async () => {
        this.#subscriptions.delete(subscription);
        const current = state.ns.channels.get(channel);
        current?.delete(deliver);
        if (current?.size === 0) state.ns.channels.delete(channel);
      },
    };
    this.#subscriptions.add(subscription);
    return subscription;
  }

  /** A watcher woken when work may have become ready on `queues`. */
  watch(queues: readonly string[]): QueueWatcher {
    this.#state.assertOpen();
    const ns = this.#state.ns;
    const names = [...new Set(queues.map((name) => validateQueueName(name)))];
    const watcher = new MemoryQueueWatcher((closed) => {
      this.#watchers.delete(closed);
      for (const name of names) ns.watchers.get(name)?.delete(closed);
    });
    this.#watchers.add(watcher);
    for (const name of names) {
      let set = ns.watchers.get(name);
      if (set === undefined) ns.watchers.set(name, (set = new Set()));
      set.add(watcher);
    }
    return watcher;
  }

  /** Stops every watcher and subscription this backend handed out. */
  async close(): Promise<void> {
    await Promise.all([...this.#watchers].map((watcher) => watcher.close()));
    await Promise.all([...this.#subscriptions].map((subscription) => subscription.unsubscribe()));
  }
}
