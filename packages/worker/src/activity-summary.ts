import type { EventEmitter } from "node:events";
import type { Backend } from "@alsek/core";
import type { Logger } from "@alsek/core";

/** Default of a pool's `summaryIntervalMs`: one summary line per 10 s while anything happened. */
export const DEFAULT_SUMMARY_INTERVAL_MS = 10_000;

/** What {@link ActivitySummary} reads from the pool it reports on. */
export interface ActivitySource {
  /** The pool (its `completed`, `failed` and `retried` events are counted). */
  events: EventEmitter;
  /** Where the pool's queues live. */
  backend: Backend;
  /** The queues whose depth the line shows. */
  queues: readonly string[];
  /** Tasks running now and the most that can. */
  load(): { running: number; capacity: number };
}

const COUNTED = ["completed", "failed", "retried"] as const;

/**
 * Logs one `info` line per interval while the pool did something (operators running the CLI at
 * the default level otherwise see only start and stop): done, failed and retried since the last
 * line, the rate, the queue depth and the load. Silent while idle.
 */
export class ActivitySummary {
  readonly #source: ActivitySource;
  readonly #log: Logger;
  readonly #intervalMs: number;
  readonly #counts = { completed: 0, failed: 0, retried: 0 };
  readonly #listeners = COUNTED.map((event) => [event, () => void (this.#counts[event] += 1)] as const);
  #timer: NodeJS.Timeout | null = null;
  #lastAt = Date.now();

  constructor(source: ActivitySource, log: Logger, intervalMs: number) {
    this.#source = source;
    this.#log = log;
    this.#intervalMs = intervalMs;
  }

  /** Starts counting and logging (no-op for an interval of 0). */
  start(): void {
    if (this.#intervalMs <= 0 || this.#timer !== null) return;
    for (const [event, listener] of this.#listeners) this.#source.events.on(event, listener);
    this.#lastAt = Date.now();
    this.#timer = setInterval(() => void this.flush(), this.#intervalMs);
    this.#timer.unref();
  }

  /** Stops; what happened since the last line is logged first. */
  async stop(): Promise<void> {
    if (this.#timer === null) return;
    clearInterval(this.#timer);
    this.#timer = null;
    for (const [event, listener] of this.#listeners) this.#source.events.off(event, listener);
    await this.flush();
  }

  /** Logs the line for the activity since the last one, if there was any. */
  async flush(): Promise<void> {
    const { completed, failed, retried } = this.#counts;
    if (completed + failed + retried === 0) return;
    this.#counts.completed = this.#counts.failed = this.#counts.retried = 0;
    const now = Date.now();
    const seconds = Math.max(now - this.#lastAt, 1) / 1000;
    this.#lastAt = now;
    const rate = Math.round(((completed + failed) / seconds) * 10) / 10;
    const { running, capacity } = this.#source.load();
    let ready: number | null = null;
    let delayed: number | null = null;
    try {
      const counts = await Promise.all(this.#source.queues.map((queue) => this.#source.backend.countQueue(queue)));
      ready = counts.reduce((sum, c) => sum + c.ready, 0);
      delayed = counts.reduce((sum, c) => sum + c.delayed, 0);
    } catch {
      // The depth is context; an unreachable backend is reported by the claim loop.
    }
    const depth = ready === null ? "queued: unknown" : `queued: ${ready} ready, ${delayed} delayed`;
    this.#log.info(
      `Last ${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s: ${completed} done, ${failed} failed, ${retried} retried (${rate}/s); ${depth}; running ${running}/${capacity}.`,
      { done: completed, failed, retried, ratePerSecond: rate, ready, delayed, running, capacity },
    );
  }
}
