import { createLogger } from "@alsek/core";
import type { WorkerPoolOptions } from "@alsek/worker";
import { parseQueues } from "../options/parse-queues.js";
import { readInteger, readString, type ParsedArgs } from "../options/read-option.js";

const log = createLogger("alsek.cli");

const DEPRECATED_BACKOFF = ["consumer_backoff_ceiling", "consumer_backoff_factor", "consumer_backoff_floor"];

/** The options both pools take, read from the command line (absent ones keep the pool's default). */
export type CommonPoolOptions = Omit<WorkerPoolOptions, "tasks">;

/**
 * Read `--queues`, `--slot_wait_interval`, `--prefetch`, `--max_idle_wait` (or its deprecated
 * aliases), `--stop_grace`, `--abort_grace` and `--summary_interval`.
 */
export function readCommonPoolOptions(args: ParsedArgs): CommonPoolOptions {
  for (const name of DEPRECATED_BACKOFF) {
    if (args[name] !== undefined) {
      log.warn(
        `--${name} is deprecated: new work wakes the pool at once, so there is no idle backoff. ` +
          "Use --max_idle_wait (ms) to bound the idle wait.",
      );
    }
  }
  const options: CommonPoolOptions = { handleSignals: true };
  const queues = parseQueues(readString(args, "queues"));
  if (queues !== undefined) options.queues = queues;
  const slotWaitInterval = readInteger(args, "slot_wait_interval", 1);
  if (slotWaitInterval !== undefined) options.slotWaitInterval = slotWaitInterval;
  const prefetch = readInteger(args, "prefetch", 0);
  if (prefetch !== undefined) options.prefetch = prefetch;
  // The original's idle backoff grew towards its ceiling; with wake-ups the ceiling is all that
  // remains meaningful: the longest idle wait.
  const maxIdleWait = readInteger(args, "max_idle_wait", 1) ?? readInteger(args, "consumer_backoff_ceiling", 1);
  if (maxIdleWait !== undefined) options.maxIdleWaitMs = maxIdleWait;
  readInteger(args, "consumer_backoff_factor", 0);
  readInteger(args, "consumer_backoff_floor", 0);
  const stopGrace = readInteger(args, "stop_grace", 0);
  if (stopGrace !== undefined) options.stopGraceMs = stopGrace;
  const abortGrace = readInteger(args, "abort_grace", 0);
  if (abortGrace !== undefined) options.abortGraceMs = abortGrace;
  const summaryInterval = readInteger(args, "summary_interval", 0);
  if (summaryInterval !== undefined) options.summaryIntervalMs = summaryInterval;
  return options;
}
