import { IntervalTrigger, TaskStatus, createLogger } from "@alsek/core";
import type { Broker, Trigger, TriggerSchedule } from "@alsek/core";
import type { MessageLike } from "../messages/index.js";
import type { StatusTracker } from "./status-tracker.js";
import { isTerminalStatus } from "./status-update.js";

/** Options of {@link StatusTrackerIntegrityScanner}. */
export interface StatusTrackerIntegrityScannerOptions {
  /**
   * When to scan. `null` schedules nothing: call {@link StatusTrackerIntegrityScanner.scan}
   * yourself.
   * @defaultValue `new IntervalTrigger({ hours: 1 })`
   */
  trigger?: Trigger | null;
  /**
   * Called when a scheduled scan fails (the schedule goes on).
   * @defaultValue logs the failure on the `alsek.results.integrity` logger, to the broker's
   *   `logger` (else the process-wide one)
   */
  onError?: (error: unknown) => void;
}

/**
 * Repairs statuses that can no longer change: on every tick of its trigger it marks UNKNOWN each
 * non-terminal status (SUBMITTED, RUNNING, RETRYING) whose message is no longer in the broker,
 * which happens when a pool dies between removing a message and recording its outcome. Scheduling
 * starts in the constructor, as in the original; {@link shutdown} stops it.
 */
export class StatusTrackerIntegrityScanner {
  /** Whose statuses are scanned. */
  readonly statusTracker: StatusTracker;
  /** Where messages are looked up. */
  readonly broker: Broker;
  #schedule: TriggerSchedule | null = null;
  #running: Promise<number> | null = null;

  constructor(statusTracker: StatusTracker, broker: Broker, options: StatusTrackerIntegrityScannerOptions = {}) {
    this.statusTracker = statusTracker;
    this.broker = broker;
    const trigger = options.trigger === undefined ? new IntervalTrigger({ hours: 1 }) : options.trigger;
    const onError =
      options.onError ??
      ((error: unknown) =>
        createLogger("alsek.results.integrity", broker.logger).error("Status integrity scan failed; retrying on the next tick", {
          error,
        }));
    if (trigger !== null) {
      this.#schedule = trigger.start(() => {
        this.scan().catch(onError);
      });
    }
  }

  /**
   * Scan every status now. Returns how many were marked UNKNOWN. A scan already in progress is
   * joined rather than run twice.
   */
  scan(): Promise<number> {
    this.#running ??= this.#scan().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  /** Stop the schedule (a scan in progress finishes). */
  shutdown(): void {
    this.#schedule?.stop();
    this.#schedule = null;
  }

  async #scan(): Promise<number> {
    const tracker = this.statusTracker;
    const backend = tracker.backend;
    let marked = 0;
    for await (const key of backend.scanKeys("status:*")) {
      const message = messageOfKey(key);
      if (message === null || tracker.keyOf(message) !== key) continue;
      const before = await tracker.get(message).catch(() => null);
      if (before === null || before.status === TaskStatus.UNKNOWN || isTerminalStatus(before.status)) continue;
      if ((await this.broker.backend.getMessage(message)) !== null) continue;
      // The message may have finished between the two reads (its pool acks, then writes
      // SUCCEEDED): only overwrite the exact status that was seen with the message gone. The
      // write itself is guarded too: UNKNOWN never replaces a terminal status that lands last.
      const now = await tracker.get(message).catch(() => null);
      if (now === null || now.status !== before.status || now.updatedAt !== before.updatedAt) continue;
      if (await tracker.set(message, TaskStatus.UNKNOWN)) marked += 1;
    }
    return marked;
  }
}

/** `status:{<queue>}:<uuid>` → its message. Queue names cannot hold braces or ':', uuids may. */
function messageOfKey(key: string): MessageLike | null {
  const match = /^status:\{([^:{}]+)\}:(.+)$/.exec(key);
  if (match === null) return null;
  return { queue: match[1] as string, uuid: match[2] as string };
}
