import { availableParallelism } from "node:os";
import { LOG_LEVEL_CHOICES } from "./log-level.js";
import type { OptionSpec } from "./option-spec.js";

/** Default of `--max_idle_wait`, in ms (the pools' `maxIdleWaitMs` default). */
export const DEFAULT_MAX_IDLE_WAIT = 5_000;
/** Default of `--stop_grace`, in ms (the pools' `stopGraceMs` default). */
export const DEFAULT_STOP_GRACE = 30_000;
/** Default of `--log-level`. */
export const DEFAULT_LOG_LEVEL = "info";

const processDefault = `max(1, CPUs - 1) = ${Math.max(1, availableParallelism() - 1)}`;
// A process runs one task at a time: sized to the CPUs alone, a 2-CPU host would run one I/O-bound
// task at a time (see defaultProcessPoolSize in @alsek/worker-process).
const processPoolDefault = `max(4, CPUs) = ${Math.max(4, availableParallelism())}`;

/** `--log-level`, on every command. */
export const LOG_LEVEL_OPTION: OptionSpec = {
  name: "log-level",
  type: "string",
  describe: `Log level: ${LOG_LEVEL_CHOICES.join(", ")} (any case). Logs are JSON lines on stderr.`,
  defaultDescription: DEFAULT_LOG_LEVEL,
};

/** `-qu/-q/--queues`. */
export const QUEUES_OPTION: OptionSpec = {
  name: "queues",
  type: "string",
  aliases: ["q"],
  describe: "Comma-separated queues to consume (also -qu), in this order; a queue is drained before the next",
  defaultDescription: "the tasks' queues, alphabetically",
};

function commonPoolOptions(slotWaitDefault: number): OptionSpec[] {
  return [
    QUEUES_OPTION,
    {
      name: "slot_wait_interval",
      type: "number",
      describe: "Longest wait (ms) for a free slot when the pool is full before looking again",
      defaultDescription: String(slotWaitDefault),
    },
    {
      name: "prefetch",
      type: "number",
      describe: "Most messages claimed beyond the free slots and queued next to the workers; the pool keeps about 20 ms of work queued (0: claim only for free slots)",
      defaultDescription: "max(4 x capacity, 256)",
    },
    {
      name: "max_idle_wait",
      type: "number",
      describe: "Longest wait (ms) for new work when idle; new work wakes the pool at once, this only bounds the wait",
      defaultDescription: String(DEFAULT_MAX_IDLE_WAIT),
    },
    {
      name: "stop_grace",
      type: "number",
      describe: "On SIGTERM/SIGINT, how long (ms) running tasks may finish; the rest go back to their queues",
      defaultDescription: String(DEFAULT_STOP_GRACE),
    },
    {
      name: "abort_grace",
      type: "number",
      describe: "When a running task is stopped (timeout, revocation, end of --stop_grace), how long (ms) it gets to end after its message.signal aborts before its thread or process is killed (0: at once)",
      defaultDescription: "1000",
    },
    {
      name: "summary_interval",
      type: "number",
      describe: "How often (ms) the pool logs a one-line summary at info while anything happened: done, failed, retried, rate, queue depth (0: never)",
      defaultDescription: "10000",
    },
    {
      name: "consumer_backoff_ceiling",
      type: "number",
      describe: "Same as --max_idle_wait (the original's longest idle wait)",
      deprecated: "use --max_idle_wait",
    },
    {
      name: "consumer_backoff_factor",
      type: "number",
      describe: "Accepted for compatibility; no effect (new work wakes the pool instead of a polling backoff)",
      deprecated: "use --max_idle_wait",
    },
    {
      name: "consumer_backoff_floor",
      type: "number",
      describe: "Accepted for compatibility; no effect (new work wakes the pool instead of a polling backoff)",
      deprecated: "use --max_idle_wait",
    },
    LOG_LEVEL_OPTION,
  ];
}

/** Options of `alsek thread-pool`. */
export const THREAD_POOL_OPTIONS: readonly OptionSpec[] = [
  { name: "n_threads", type: "number", describe: "Worker threads per process group", defaultDescription: "8" },
  {
    name: "n_processes",
    type: "number",
    describe: "Process groups at most; capacity is n_threads x n_processes",
    defaultDescription: processDefault,
  },
  { name: "n_process_floor", type: "number", describe: "Process groups kept running even when idle", defaultDescription: "0" },
  {
    name: "in_process",
    type: "boolean",
    describe: "Run the single group's threads in the pool's own process (no IPC hop); --no-in_process forks a child process instead. Needs n_processes 1",
    defaultDescription: "true when n_processes is 1",
  },
  {
    name: "in_loop",
    type: "boolean",
    describe: "Run the tasks in the pool's own event loop (no threads): the fastest mode for I/O-bound async tasks; timeouts are soft (message.signal aborts, the slot frees) and nothing is killed",
    defaultDescription: "false",
  },
  {
    name: "concurrency",
    type: "number",
    describe: "With --in_loop: tasks running at once",
    defaultDescription: "32",
  },
  {
    name: "complete_only_on_thread_exit",
    type: "boolean",
    describe: "Settle a task only once its thread has exited, so work it left running finishes first",
    defaultDescription: "false",
  },
  ...commonPoolOptions(50),
];

/** Options of `alsek process-pool`. */
export const PROCESS_POOL_OPTIONS: readonly OptionSpec[] = [
  {
    name: "n_processes",
    type: "number",
    describe: "Processes at most (one per running task); this is the capacity",
    defaultDescription: processPoolDefault,
  },
  {
    name: "prune_interval",
    type: "number",
    describe: "How often (ms) finished processes are reaped",
    defaultDescription: "100",
  },
  ...commonPoolOptions(100),
];

/** Options of `alsek info`. */
export const INFO_OPTIONS: readonly OptionSpec[] = [
  { ...QUEUES_OPTION, describe: "Comma-separated queues to show (also -qu)", defaultDescription: "every queue of the backend and of the tasks" },
  { name: "json", type: "boolean", describe: "Print JSON instead of a table", defaultDescription: "false" },
  LOG_LEVEL_OPTION,
];
