import type { Backend } from "@alsek/core";
import { ResultStore, StatusTracker } from "@alsek/results";
import type { Inspector } from "../inspection/inspector.js";
import type { LiveEvent, LiveListener, StopWatching } from "./live-event.js";
import { MessageWatch } from "./message-watch.js";
import { ResultFeed } from "./result-feed.js";

/**
 * Everything live in one dashboard process, shared by all open tabs so that backend load does not
 * grow with them: one counts poll, one subscription per watched message, one result feed per
 * watched queue. The poll runs only while some tab listens; each tick reads the queue counts once
 * (for every tab), extends the result feeds and, on a backend without cross-process pub/sub,
 * re-reads the watched statuses and results.
 */
export class LiveHub {
  #countListeners = new Set<LiveListener>();
  #lastCounts: LiveEvent | null = null;
  #lastCountsJson = "";
  #messages = new Map<string, Promise<MessageWatch>>();
  #feeds = new Map<string, ResultFeed>();
  #timer: NodeJS.Timeout | null = null;
  #ticking: Promise<void> | null = null;
  #closed = false;
  #statusTracker: StatusTracker;
  #resultStore: ResultStore;

  constructor(
    private readonly backend: Backend,
    private readonly inspector: Inspector,
    private readonly pollInterval: number,
  ) {
    this.#statusTracker = new StatusTracker(backend);
    this.#resultStore = new ResultStore(backend);
  }

  /** Queue counts (every queue's `QueueSummary`), now and on every change. */
  watchCounts(listener: LiveListener): StopWatching {
    this.#countListeners.add(listener);
    // While some tab listens the snapshot is kept current by the poll; after an idle spell it is
    // dropped, so a new tab gets a fresh read.
    if (this.#lastCounts !== null) listener(this.#lastCounts);
    this.#schedule(this.#lastCounts === null);
    return () => {
      this.#countListeners.delete(listener);
      if (this.#countListeners.size === 0) {
        this.#lastCounts = null;
        this.#lastCountsJson = "";
      }
    };
  }

  /** Status and result of one message, now and on every change. */
  async watchMessage(queue: string, uuid: string, listener: LiveListener): Promise<StopWatching> {
    const key = `${queue}\u0000${uuid}`;
    let opening = this.#messages.get(key);
    if (opening === undefined) {
      const watch = new MessageWatch(this.backend, this.#statusTracker, this.#resultStore, queue, uuid);
      opening = watch.open().then(() => watch);
      this.#messages.set(key, opening);
      opening.catch(() => this.#messages.delete(key));
    }
    const watch = await opening;
    watch.listeners.add(listener);
    watch.replay(listener);
    this.#schedule(false);
    return () => {
      watch.listeners.delete(listener);
      if (watch.listeners.size === 0 && this.#messages.get(key) === opening) {
        this.#messages.delete(key);
        void watch.close();
      }
    };
  }

  /** Results of one queue's messages as they complete. */
  watchResults(queue: string, listener: LiveListener): StopWatching {
    let feed = this.#feeds.get(queue);
    if (feed === undefined) {
      feed = new ResultFeed(this.inspector, this.#resultStore, queue);
      this.#feeds.set(queue, feed);
      void feed.watchSubmits(this.backend).catch(() => undefined);
    }
    const current = feed;
    current.listeners.add(listener);
    current.replay(listener);
    this.#schedule(true);
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size === 0 && this.#feeds.get(queue) === current) {
        this.#feeds.delete(queue);
        current.close();
      }
    };
  }

  /** How many watches are open (for tests and metrics of the dashboard itself). */
  get watching(): { counts: number; messages: number; feeds: number } {
    return { counts: this.#countListeners.size, messages: this.#messages.size, feeds: this.#feeds.size };
  }

  #idle(): boolean {
    return this.#countListeners.size === 0 && this.#feeds.size === 0 && (this.backend.supportsPubSub || this.#messages.size === 0);
  }

  /** Start the poll if it is not running; `now` runs a tick at once (a new tab wants data). */
  #schedule(now: boolean): void {
    if (this.#closed) return;
    if (now && this.#ticking === null) {
      if (this.#timer !== null) clearTimeout(this.#timer);
      this.#timer = null;
      this.#ticking = this.#tick();
      return;
    }
    if (this.#timer === null && this.#ticking === null && !this.#idle()) {
      this.#timer = setTimeout(() => {
        this.#timer = null;
        this.#ticking = this.#tick();
      }, this.pollInterval);
      this.#timer.unref();
    }
  }

  async #tick(): Promise<void> {
    try {
      const work: Promise<unknown>[] = [];
      if (this.#countListeners.size > 0) work.push(this.#readCounts());
      for (const feed of this.#feeds.values()) work.push(feed.refresh());
      if (!this.backend.supportsPubSub) for (const watch of this.#messages.values()) work.push(watch.then((w) => w.refresh()));
      await Promise.allSettled(work);
    } finally {
      this.#ticking = null;
      this.#schedule(false);
    }
  }

  async #readCounts(): Promise<void> {
    const queues = await this.inspector.listQueues();
    const json = JSON.stringify(queues);
    if (json === this.#lastCountsJson) return;
    this.#lastCountsJson = json;
    this.#lastCounts = { event: "counts", data: { queues } };
    for (const listener of this.#countListeners) listener(this.#lastCounts);
  }

  /** Stop the poll and every subscription. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    for (const feed of this.#feeds.values()) feed.close();
    this.#feeds.clear();
    const watches = [...this.#messages.values()];
    this.#messages.clear();
    await Promise.allSettled(watches.map(async (w) => (await w).close()));
    await this.#ticking;
  }
}
