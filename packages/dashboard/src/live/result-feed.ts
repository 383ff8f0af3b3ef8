import type { Backend } from "@alsek/core";
import { ResultPool } from "@alsek/results";
import type { ResultRecord, ResultStore } from "@alsek/results";
import { prettyJson } from "../html/format-value.js";
import type { Inspector, MessageState, MessageSummary } from "../inspection/inspector.js";
import type { LiveEvent, LiveListener } from "./live-event.js";

/** How many pending messages of a queue one feed waits on at most. */
const MAX_PENDING = 1_000;
/** How many of the newest messages per state each refresh looks at. */
const SCAN_LIMIT = 200;
/** Results replayed to a tab that opens the page late. */
const REPLAY = 50;
const PENDING_STATES: readonly MessageState[] = ["ready", "delayed", "active"];
/** Least time between two refreshes woken by submits, so a burst costs one listing. */
const MIN_REFRESH_GAP_MS = 100;

/**
 * The live results of one queue, shared by every tab watching it: a `ResultPool` stream over the
 * queue's pending messages (results are kept, never consumed), extended on each refresh of the
 * hub's shared poll with the messages that arrived since, and at once when the queue's watcher
 * reports a submit (so that even quick tasks are seen before they complete). Messages that never
 * get a result (failed, removed) stay followed until the last tab leaves, up to a bound.
 */
export class ResultFeed {
  readonly listeners = new Set<LiveListener>();
  #pending = new Set<string>();
  #recent: LiveEvent[] = [];
  #stop = new AbortController();
  #pool: ResultPool;

  constructor(
    private readonly inspector: Inspector,
    resultStore: ResultStore,
    readonly queue: string,
  ) {
    this.#pool = new ResultPool(resultStore);
  }

  /** Refresh whenever work arrives on the queue, until closed. */
  async watchSubmits(backend: Backend): Promise<void> {
    const watcher = backend.watch([this.queue]);
    const signal = this.#stop.signal;
    try {
      while (!signal.aborted) {
        const version = watcher.version;
        await watcher.waitForChange(version, 60_000, signal);
        if (signal.aborted) break;
        if (watcher.version !== version) await this.refresh().catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, MIN_REFRESH_GAP_MS));
      }
    } finally {
      await watcher.close();
    }
  }

  #chain: Promise<void> = Promise.resolve();

  /**
   * Start streaming the results of messages not yet followed. Refreshes run one after another, so
   * two of them never follow the same message twice.
   */
  refresh(): Promise<void> {
    const next = this.#chain.then(() => this.#refreshOnce());
    this.#chain = next.catch(() => undefined);
    return next;
  }

  async #refreshOnce(): Promise<void> {
    if (this.#stop.signal.aborted) return;
    const fresh: MessageSummary[] = [];
    for (const state of PENDING_STATES) {
      const page = await this.inspector.listMessages(this.queue, { state, order: "newest", limit: SCAN_LIMIT });
      for (const message of page.items) {
        if (this.#pending.has(message.uuid) || this.#pending.size + fresh.length >= MAX_PENDING) continue;
        if (!fresh.some((m) => m.uuid === message.uuid)) fresh.push(message);
      }
    }
    if (fresh.length === 0 || this.#stop.signal.aborted) return;
    for (const message of fresh) this.#pending.add(message.uuid);
    void this.#follow(fresh);
  }

  async #follow(messages: MessageSummary[]): Promise<void> {
    try {
      const stream = this.#pool.istream(messages, { keep: true, withMetadata: true, signal: this.#stop.signal });
      for await (const [message, value] of stream) {
        this.#pending.delete(message.uuid);
        const record = value as ResultRecord<unknown>;
        const event: LiveEvent = {
          event: "result",
          data: { queue: message.queue, uuid: message.uuid, taskName: message.taskName, completedAt: record.timestamp, text: prettyJson(record.result) },
        };
        this.#recent.push(event);
        if (this.#recent.length > REPLAY) this.#recent.shift();
        for (const listener of this.listeners) listener(event);
      }
    } catch {
      // Aborted when the last tab left, or the backend closed: the hub stops following.
      for (const message of messages) this.#pending.delete(message.uuid);
    }
  }

  /** Give a new listener the latest results. */
  replay(listener: LiveListener): void {
    for (const event of this.#recent) listener(event);
  }

  /** Stop every wait. */
  close(): void {
    this.#stop.abort();
  }
}
