import { ChurnSet, type QueueWatcher } from "@alsek/core";
import type { SubscriberHub } from "./subscriber-hub.js";

/**
 * Wakes idle consumers when a watched queue's ready set goes from empty to non-empty: the scripts
 * publish on the queue's wake channel exactly then, so a busy queue costs no publishes.
 */
export class RedisQueueWatcher implements QueueWatcher {
  #version = 0;
  readonly #hub: SubscriberHub;
  readonly #channels: readonly string[];
  /** A waiter per idle wait: churn-safe (see `ChurnSet`). */
  readonly #waiters = new ChurnSet<() => void>();
  readonly #onMessage = (): void => this.#bump();
  readonly #stopReconnect: () => void;
  #closed = false;

  readonly #hasReadyWork: () => Promise<boolean>;

  /**
   * @param hasReadyWork whether any watched queue has ready messages; asked when notices may have
   *   been missed (before the subscription was active, during a reconnect).
   */
  constructor(hub: SubscriberHub, channels: readonly string[], hasReadyWork: () => Promise<boolean>) {
    this.#hub = hub;
    this.#channels = channels;
    this.#hasReadyWork = hasReadyWork;
    this.#stopReconnect = hub.onReconnect(() => void this.#catchUp());
    void Promise.all(channels.map((channel) => hub.add(channel, this.#onMessage)))
      .then(() => this.#catchUp())
      .catch(() => this.#bump());
  }

  // Bumps only when work is waiting and no notice arrived meanwhile, so one submit made while
  // the subscription was starting is reported once, not twice.
  async #catchUp(): Promise<void> {
    const seen = this.#version;
    const waiting = await this.#hasReadyWork().catch(() => true);
    if (waiting && this.#version === seen && !this.#closed) this.#bump();
  }

  get version(): number {
    return this.#version;
  }

  #bump(): void {
    this.#version += 1;
    for (const wake of [...this.#waiters]) wake();
  }

  waitForChange(sinceVersion: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.#version !== sinceVersion || this.#closed || signal?.aborted === true) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(finish);
        signal?.removeEventListener("abort", finish);
        resolve();
      };
      const timer = setTimeout(finish, Math.max(0, timeoutMs));
      this.#waiters.add(finish);
      signal?.addEventListener("abort", finish, { once: true });
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopReconnect();
    for (const wake of [...this.#waiters]) wake();
    await Promise.all(this.#channels.map((channel) => this.#hub.remove(channel, this.#onMessage)));
  }
}
