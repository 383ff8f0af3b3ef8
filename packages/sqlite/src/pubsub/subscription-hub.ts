import type { Subscription } from "@alsek/core";
import type { Serializer } from "@alsek/core";
import type { PubSubTable } from "./pubsub-table.js";

interface Subscriber {
  channel: string;
  listener: (value: unknown) => void;
  /** Rows up to this id were published before the subscription and are not delivered. */
  fromId: number;
}

/**
 * Delivers published rows to this process's subscribers by polling the pub/sub table, and only
 * while at least one subscription is open.
 */
export class SubscriptionHub {
  readonly #table: PubSubTable;
  readonly #serializer: Serializer;
  readonly #pollIntervalMs: number;
  readonly #subscribers = new Set<Subscriber>();
  #lastId = 0;
  #timer: NodeJS.Timeout | null = null;
  #immediate: NodeJS.Immediate | null = null;

  constructor(table: PubSubTable, serializer: Serializer, pollIntervalMs: number) {
    this.#table = table;
    this.#serializer = serializer;
    this.#pollIntervalMs = pollIntervalMs;
  }

  /** Start delivering `channel` to `listener`. */
  subscribe(channel: string, listener: (value: unknown) => void): Subscription {
    const fromId = this.#table.lastId();
    if (this.#subscribers.size === 0) {
      this.#lastId = fromId;
      this.#timer = setInterval(() => this.poll(), this.#pollIntervalMs);
    }
    const subscriber: Subscriber = { channel, listener, fromId };
    this.#subscribers.add(subscriber);
    return {
      unsubscribe: async () => {
        this.#subscribers.delete(subscriber);
        if (this.#subscribers.size === 0) this.stop();
      },
    };
  }

  /** Poll soon, for a publish made in this process. */
  pollSoon(): void {
    if (this.#subscribers.size === 0 || this.#immediate !== null) return;
    this.#immediate = setImmediate(() => {
      this.#immediate = null;
      this.poll();
    });
  }

  /** Deliver every row published since the last poll. */
  poll(): void {
    try {
      for (;;) {
        if (this.#subscribers.size === 0) return;
        const rows = this.#table.readAfter(this.#lastId);
        for (const row of rows) {
          this.#lastId = row.id;
          let value: unknown;
          let decoded = false;
          for (const subscriber of [...this.#subscribers]) {
            if (subscriber.channel !== row.channel || row.id <= subscriber.fromId) continue;
            if (!decoded) {
              value = this.#serializer.reverse(row.value);
              decoded = true;
            }
            try {
              subscriber.listener(value);
            } catch {
              // A throwing listener must not stop delivery to the others.
            }
          }
        }
        if (rows.length < 1000) return;
      }
    } catch {
      // The connection is busy or closed: the next poll retries from the same id.
    }
  }

  /** Stop polling and drop every subscriber. */
  stop(): void {
    this.#subscribers.clear();
    if (this.#timer !== null) clearInterval(this.#timer);
    if (this.#immediate !== null) clearImmediate(this.#immediate);
    this.#timer = null;
    this.#immediate = null;
  }
}
