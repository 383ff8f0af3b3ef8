import type { Backend, Subscription } from "@alsek/core";

/** Options of {@link ChannelWatch.open}. */
export interface ChannelWatchOptions {
  /**
   * How long {@link ChannelWatch.wait} sleeps at most between two checks of the stored state
   * while subscribed: on a backend with cross-process pub/sub a rare safety re-check in case a
   * notice was lost (Redis pub/sub is fire-and-forget across reconnects), else the poll interval.
   */
  recheckInterval: number;
  /** The same when subscribing failed: then re-reading is the only way to notice a change. */
  pollInterval: number;
}

/**
 * A subscription to one pub/sub channel that a reader can sleep on. It is opened *before* the
 * reader looks at the stored state, so a notice published in between is never missed.
 * @internal
 */
export class ChannelWatch {
  #values: unknown[] = [];
  #wake: (() => void) | null = null;
  #subscription: Subscription | null = null;
  #recheckInterval: number;

  private constructor(recheckInterval: number) {
    this.#recheckInterval = recheckInterval;
  }

  /**
   * Subscribe to `channel`. A backend whose subscriptions fail (or that has none) is still
   * watched, by re-checking every `recheckInterval` ms.
   */
  static async open(backend: Backend, channel: string, options: ChannelWatchOptions): Promise<ChannelWatch> {
    const watch = new ChannelWatch(options.recheckInterval);
    try {
      watch.#subscription = await backend.subscribe(channel, (value) => watch.#push(value));
    } catch {
      // Without a subscription, polling alone finds every change, only later.
      watch.#recheckInterval = Math.min(options.recheckInterval, options.pollInterval);
    }
    return watch;
  }

  #push(value: unknown): void {
    this.#values.push(value);
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  /** The values received since the last call, oldest first. */
  take(): unknown[] {
    const values = this.#values;
    this.#values = [];
    return values;
  }

  /**
   * Sleep until a value arrives (or one is already pending), `timeoutMs` passes, the re-check
   * interval passes, or `signal` aborts (then it rejects with the signal's reason).
   */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#values.length > 0) return Promise.resolve();
    const sleepMs = Math.max(0, Math.min(timeoutMs, this.#recheckInterval));
    return new Promise<void>((resolve, reject) => {
      const settle = (outcome: () => void): void => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        if (this.#wake === wake) this.#wake = null;
        outcome();
      };
      const wake = (): void => settle(resolve);
      const onAbort = (): void => settle(() => reject(signal?.reason));
      const timer = setTimeout(wake, sleepMs);
      this.#wake = wake;
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Unsubscribe. Safe to call twice. */
  async close(): Promise<void> {
    const subscription = this.#subscription;
    this.#subscription = null;
    this.#wake?.();
    await subscription?.unsubscribe();
  }
}
