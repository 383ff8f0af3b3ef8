// Tasks that report progress, run by thread and process pools. The pool's workers import this
// module again by URL, so it only defines tasks; the backend comes from environment variables the
// test sets before importing it (threads and children inherit them).
import { setTimeout as sleep } from "node:timers/promises";
import { join } from "node:path";
import { Broker, task, type Backend, type Message } from "@alsek/core";
import { RedisBackend } from "@alsek/redis";
import { StatusTracker } from "@alsek/results";
import { SqliteBackend } from "@alsek/sqlite";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: set it before importing the progress tasks.`);
  return value;
}

function backendFromEnvironment(): Backend {
  const kind = required("ALSEK_PROGRESS_BACKEND");
  if (kind === "redis") return new RedisBackend(required("ALSEK_PROGRESS_REDIS_URL"), { namespace: "progress" });
  if (kind === "sqlite") return new SqliteBackend(join(required("ALSEK_PROGRESS_DIR"), "alsek.db"), { namespace: "progress" });
  throw new Error(`ALSEK_PROGRESS_BACKEND must be "redis" or "sqlite", got ${JSON.stringify(kind)}.`);
}

export const backend = backendFromEnvironment();
export const broker = new Broker(backend);
export const statusTracker = new StatusTracker(backend);

/** Reports `steps` values, one every 150 ms: slower than the throttle, so every one is written. */
async function stepped(steps: number, message: Message): Promise<string> {
  for (let step = 1; step <= steps; step++) {
    message.progress({ step, of: steps });
    await sleep(150);
  }
  return "done";
}

/** Calls progress() `calls` times in a tight loop (1 to `calls`, a percentage), then returns. */
function tightLoop(calls: number, message: Message): number {
  for (let call = 1; call <= calls; call++) message.progress((call / calls) * 100);
  return calls;
}

/** Reports a value progress() refuses: the attempt fails with its ValidationError. */
function tooLarge(message: Message): void {
  message.progress({ blob: "x".repeat(2_000) });
}

const options = { statusTracker, passMessage: true, maxRetries: 0 } as const;

export const threadStepped = task(broker, { ...options, mechanism: "thread", queue: "progress_threads" }, function threadStepped(steps: number, message: Message) {
  return stepped(steps, message);
});
export const threadTightLoop = task(broker, { ...options, mechanism: "thread", queue: "progress_threads" }, function threadTightLoop(calls: number, message: Message) {
  return tightLoop(calls, message);
});
export const threadTooLarge = task(broker, { ...options, mechanism: "thread", queue: "progress_threads" }, function threadTooLarge(message: Message) {
  tooLarge(message);
});
/** The same tasks for a thread pool whose groups run in child processes (`nProcesses: 2`). */
export const groupStepped = task(
  broker,
  { ...options, mechanism: "thread", queue: "progress_groups" },
  function groupStepped(steps: number, message: Message) {
    return stepped(steps, message);
  },
);
export const groupTightLoop = task(
  broker,
  { ...options, mechanism: "thread", queue: "progress_groups" },
  function groupTightLoop(calls: number, message: Message) {
    return tightLoop(calls, message);
  },
);
/** The same tasks for an in-loop pool (the pool's own event loop, no worker hop). */
export const inLoopStepped = task(
  broker,
  { ...options, mechanism: "thread", queue: "progress_in_loop" },
  function inLoopStepped(steps: number, message: Message) {
    return stepped(steps, message);
  },
);
export const inLoopTightLoop = task(
  broker,
  { ...options, mechanism: "thread", queue: "progress_in_loop" },
  function inLoopTightLoop(calls: number, message: Message) {
    return tightLoop(calls, message);
  },
);
export const processStepped = task(broker, { ...options, mechanism: "process", queue: "progress_processes" }, function processStepped(steps: number, message: Message) {
  return stepped(steps, message);
});
export const processTightLoop = task(
  broker,
  { ...options, mechanism: "process", queue: "progress_processes" },
  function processTightLoop(calls: number, message: Message) {
    return tightLoop(calls, message);
  },
);

export const threadTasks = [threadStepped, threadTightLoop, threadTooLarge];
export const groupTasks = [groupStepped, groupTightLoop];
export const processTasks = [processStepped, processTightLoop];
export const inLoopTasks = [inLoopStepped, inLoopTightLoop];
