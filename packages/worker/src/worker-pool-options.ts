import type { LogLevel, LogSink, Task } from "@alsek/core";
import { DEFAULT_SUMMARY_INTERVAL_MS } from "./activity-summary.js";
import { requireDuration, requireInteger } from "./pool-options.js";

/** Options every worker pool takes. */
export interface WorkerPoolOptions {
  /** The tasks to run; those of another mechanism are ignored. */
  tasks: readonly Task[];
  /**
   * Queues to consume, in priority order (a queue is drained before the next is looked at).
   * @defaultValue the queues of `tasks`, alphabetically
   */
  queues?: readonly string[];
  /**
   * Longest wait, in ms, for a slot to free up before the pool looks again. Slots normally wake
   * the pool the moment they free; this only bounds the wait.
   */
  slotWaitInterval?: number;
  /**
   * Most messages claimed beyond the free slots and queued next to the workers, so a worker
   * starts its next task the moment it finishes one instead of waiting for a claim round trip.
   * The pool keeps about 20 ms of work queued at its recent completion rate, between 1 and this:
   * short tasks get a deep queue, long ones a single message ahead. Queued messages are leased
   * (their leases renewed) while they wait; a stopping pool hands them back at once. 0 claims
   * only for free slots.
   * @defaultValue `max(4 × capacity, 256)`
   */
  prefetch?: number;
  /**
   * Lease of a claimed message in ms; renewed every second while its task runs, so it only
   * matters when the pool dies: its messages run elsewhere once their leases expire.
   * @defaultValue 30_000
   */
  leaseMs?: number;
  /**
   * Longest idle wait for new work in ms (new work normally wakes the pool at once).
   * @defaultValue 5_000
   */
  maxIdleWaitMs?: number;
  /**
   * How long a graceful stop lets running tasks finish, in ms; the rest are stopped and handed
   * back to their queues without consuming a retry.
   * @defaultValue 30_000
   */
  stopGraceMs?: number;
  /**
   * How long a task whose attempt is stopped (timeout, revocation, lost lease, the end of a
   * graceful stop's `stopGraceMs`) gets, in ms, between the abort of its `message.signal` and the
   * hard stop of its thread or process. A task that honours the signal ends within it, its
   * `finally` blocks run, and its thread or process lives on; one that ignores it is killed.
   * `0`: no abort, the hard stop at once. The in-loop mode has no hard stop: past this grace the
   * attempt is settled and the function is left to itself.
   * @defaultValue 1_000
   */
  abortGraceMs?: number;
  /**
   * Install SIGTERM/SIGINT handlers while running: the first signal stops gracefully, a second
   * one kills the workers and exits at once (exit code 1).
   * @defaultValue true
   */
  handleSignals?: boolean;
  /**
   * Process-wide log level to set when the pool is created; its worker threads and child
   * processes start at it too (through `ALSEK_LOG_LEVEL`).
   * @defaultValue unchanged (workers: `ALSEK_LOG_LEVEL`, else `"warn"`)
   */
  logLevel?: LogLevel;
  /**
   * Where the pool's logs go — the pool engine, its consumer, lease renewer and settlement —
   * as any logger with pino's shape (`info(fields, message)`; a pino logger fits). Records about
   * a message carry its `queue`, `task` and `uuid`. Logs written inside worker threads and
   * process children stay there: see the README ("Logging").
   * @defaultValue the `logger` of the tasks' broker, else the process-wide one (`setLogger`;
   *   JSON lines on stderr by default)
   */
  logger?: LogSink | null;
  /**
   * How often, in ms, the pool logs a one-line summary at `info` (done, failed, retried, rate,
   * queue depth, load) while anything happened; `0` turns it off.
   * @defaultValue 10_000
   */
  summaryIntervalMs?: number;
}

/**
 * The default `prefetch` is 4 × the capacity, but at least this: a pool of few slots needs a deep
 * queue for very short tasks (the depth itself stays about `PREFETCH_HORIZON_MS` of work; this only
 * caps it). Measured: 256 instead of 64 drained no-op tasks at concurrency 10 ~1.3× faster (bigger
 * claim and ack batches, fewer round trips per message).
 */
const MIN_DEFAULT_PREFETCH = 256;

const DEFAULTS = { leaseMs: 30_000, maxIdleWaitMs: 5_000, stopGraceMs: 30_000, abortGraceMs: 1_000 } as const;

/** `abortGraceMs` with its default applied, checked (a pool passes it to its executor). */
export function resolveAbortGraceMs(options: Pick<WorkerPoolOptions, "abortGraceMs">): number {
  return requireDuration("abortGraceMs", options.abortGraceMs ?? DEFAULTS.abortGraceMs, 0);
}

/** {@link WorkerPoolOptions} with every default applied and every value checked. */
export type ResolvedWorkerPoolOptions = Required<Omit<WorkerPoolOptions, "tasks" | "queues" | "logLevel" | "logger">>;

/**
 * Apply the defaults (`prefetch` depends on the executor's `capacity`; `slotWaitInterval` on the
 * pool kind) and check every value; throws a `ValidationError` naming the option.
 */
export function resolveWorkerPoolOptions(
  options: WorkerPoolOptions,
  capacity: number,
  slotWaitDefault: number,
): ResolvedWorkerPoolOptions {
  return {
    slotWaitInterval: requireDuration("slotWaitInterval", options.slotWaitInterval ?? slotWaitDefault, 1),
    prefetch: requireInteger("prefetch", options.prefetch ?? Math.max(4 * capacity, MIN_DEFAULT_PREFETCH), 0),
    leaseMs: requireInteger("leaseMs", options.leaseMs ?? DEFAULTS.leaseMs, 1_000),
    maxIdleWaitMs: requireDuration("maxIdleWaitMs", options.maxIdleWaitMs ?? DEFAULTS.maxIdleWaitMs, 1),
    stopGraceMs: requireDuration("stopGraceMs", options.stopGraceMs ?? DEFAULTS.stopGraceMs, 0),
    abortGraceMs: resolveAbortGraceMs(options),
    handleSignals: options.handleSignals ?? true,
    summaryIntervalMs: requireDuration("summaryIntervalMs", options.summaryIntervalMs ?? DEFAULT_SUMMARY_INTERVAL_MS, 0),
  };
}
