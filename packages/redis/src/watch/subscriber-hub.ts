import type { RedisClient } from "../connection/index.js";

type ChannelListener = (message: string) => void;

/**
 * One subscriber connection shared by every watcher and subscription of a backend. Channels are
 * reference-counted: the first listener subscribes, the last one unsubscribes.
 */
export class SubscriberHub {
  readonly #factory: () => RedisClient;
  readonly #prepare: () => Promise<unknown> | null;
  #client: RedisClient | null = null;
  readonly #listeners = new Map<string, Set<ChannelListener>>();
  readonly #subscribing = new Map<string, Promise<unknown>>();
  readonly #reconnectListeners = new Set<() => void>();
  #connectedOnce = false;
  #closed = false;

  /**
   * @param factory creates the subscriber connection, on the first subscription.
   * @param prepare what must be done before `factory` can run (loading the driver); `null` when
   *   nothing is left to do.
   */
  constructor(factory: () => RedisClient, prepare: () => Promise<unknown> | null = () => null) {
    this.#factory = factory;
    this.#prepare = prepare;
  }

  #connection(): RedisClient {
    if (this.#client !== null) return this.#client;
    const client = this.#factory();
    client.on("message", (channel: string, message: string) => {
      for (const listener of this.#listeners.get(channel) ?? []) listener(message);
    });
    // Messages published while the connection was down are lost; ioredis resubscribes on
    // reconnect, and watchers treat the reconnect itself as "work may have arrived".
    client.on("ready", () => {
      if (this.#connectedOnce) for (const listener of this.#reconnectListeners) listener();
      this.#connectedOnce = true;
    });
    client.on("error", () => undefined);
    this.#client = client;
    return client;
  }

  /** Calls `listener` after every reconnect of the subscriber connection. */
  onReconnect(listener: () => void): () => void {
    this.#reconnectListeners.add(listener);
    return () => this.#reconnectListeners.delete(listener);
  }

  /** Delivers every message of `channel` to `listener` once the subscription is active. */
  async add(channel: string, listener: ChannelListener): Promise<void> {
    const preparing = this.#prepare();
    if (preparing !== null) await preparing;
    if (this.#closed) throw new Error("the backend is closed");
    let listeners = this.#listeners.get(channel);
    const first = listeners === undefined;
    if (listeners === undefined) {
      listeners = new Set();
      this.#listeners.set(channel, listeners);
    }
    listeners.add(listener);
    if (first) this.#subscribing.set(channel, this.#connection().subscribe(channel));
    // Later listeners of a channel also wait until the one subscription is active.
    await this.#subscribing.get(channel);
  }

  /** Stops delivering `channel` to `listener`. */
  async remove(channel: string, listener: ChannelListener): Promise<void> {
    const listeners = this.#listeners.get(channel);
    if (listeners === undefined || !listeners.delete(listener)) return;
    if (listeners.size === 0) {
      this.#listeners.delete(channel);
      this.#subscribing.delete(channel);
      // Not connected: nothing to undo now (and an unsubscribe would wait for a reconnect).
      if (this.#client !== null && !this.#closed && this.#client.status === "ready") {
        await this.#client.unsubscribe(channel).catch(() => undefined);
      }
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
    this.#subscribing.clear();
    this.#reconnectListeners.clear();
    if (this.#client !== null) this.#client.disconnect();
  }
}
