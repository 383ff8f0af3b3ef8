import { Counter, Gauge, Registry } from "prom-client";
import type { Inspector } from "../inspection/inspector.js";

const STATES = ["ready", "delayed", "active", "deadLettered"] as const;
const STATE_LABEL: Record<(typeof STATES)[number], string> = { ready: "ready", delayed: "delayed", active: "active", deadLettered: "dead" };
/** Buckets kept to turn per-minute throughput into monotonic counters. */
const WINDOW_MINUTES = 60;

/**
 * Prometheus metrics of the queues, read from the inspection API on each scrape:
 * `alsek_queue_messages{queue,state}`, `alsek_queue_oldest_ready_age_seconds{queue}`,
 * `alsek_queue_paused{queue}` and the counters `alsek_messages_completed_total{queue}` and
 * `alsek_messages_failed_total{queue}`. The counters are built from the backend's per-minute
 * throughput: each scrape adds what each minute's bucket grew by since the last one, so they
 * only increase while this process runs (they start from the last hour's totals).
 */
export class DashboardMetrics {
  readonly registry = new Registry();
  #depth = new Gauge({ name: "alsek_queue_messages", help: "Messages per queue and state.", labelNames: ["queue", "state"], registers: [this.registry] });
  #age = new Gauge({
    name: "alsek_queue_oldest_ready_age_seconds",
    help: "Age of the oldest ready message per queue (0 when none is ready).",
    labelNames: ["queue"],
    registers: [this.registry],
  });
  #paused = new Gauge({ name: "alsek_queue_paused", help: "1 when the queue is paused.", labelNames: ["queue"], registers: [this.registry] });
  #completed = new Counter({ name: "alsek_messages_completed_total", help: "Messages completed, per queue.", labelNames: ["queue"], registers: [this.registry] });
  #failed = new Counter({ name: "alsek_messages_failed_total", help: "Messages failed for good, per queue.", labelNames: ["queue"], registers: [this.registry] });
  #seen = new Map<string, Map<number, { completed: number; failed: number }>>();
  #scraping: Promise<string> | null = null;

  constructor(private readonly inspector: Inspector) {}

  /** The `Content-Type` of {@link DashboardMetrics.render}'s output. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Read the queues and render the exposition text. Concurrent scrapes share one read. */
  render(): Promise<string> {
    this.#scraping ??= this.#scrape().finally(() => {
      this.#scraping = null;
    });
    return this.#scraping;
  }

  async #scrape(): Promise<string> {
    const queues = await this.inspector.listQueues();
    this.#depth.reset();
    this.#age.reset();
    this.#paused.reset();
    for (const summary of queues) {
      for (const state of STATES) this.#depth.set({ queue: summary.queue, state: STATE_LABEL[state] }, summary.counts[state]);
      this.#age.set({ queue: summary.queue }, (summary.oldestReadyAgeMs ?? 0) / 1000);
      this.#paused.set({ queue: summary.queue }, summary.paused ? 1 : 0);
      const points = await this.inspector.throughput(summary.queue, { minutes: WINDOW_MINUTES });
      this.#count(summary.queue, points);
    }
    return this.registry.metrics();
  }

  #count(queue: string, points: readonly { minute: number; completed: number; failed: number }[]): void {
    let seen = this.#seen.get(queue);
    if (seen === undefined) this.#seen.set(queue, (seen = new Map()));
    // Touch both series so a queue shows 0 before its first completion.
    this.#completed.inc({ queue }, 0);
    this.#failed.inc({ queue }, 0);
    for (const point of points) {
      const before = seen.get(point.minute) ?? { completed: 0, failed: 0 };
      if (point.completed > before.completed) this.#completed.inc({ queue }, point.completed - before.completed);
      if (point.failed > before.failed) this.#failed.inc({ queue }, point.failed - before.failed);
      seen.set(point.minute, { completed: Math.max(point.completed, before.completed), failed: Math.max(point.failed, before.failed) });
    }
    // Keep only the buckets the next scrape can still report (whatever unit `minute` is in).
    const keep = WINDOW_MINUTES + 2;
    if (seen.size > keep) for (const minute of [...seen.keys()].sort((a, b) => a - b).slice(0, seen.size - keep)) seen.delete(minute);
  }
}
