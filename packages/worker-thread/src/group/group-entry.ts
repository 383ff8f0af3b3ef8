// Compiled to dist/group/group-entry.js and forked by ThreadWorkerPool: one process group that
// runs up to nThreads tasks at once on as few worker threads as keep up, queues the rest (the
// pool's prefetch) and starts them as slots free, and reports outcomes to the pool's main
// process, batched per tick.
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import type { Assignment, OutcomeReport, WireError } from "@alsek/core";
import { GROUP_CONFIG_ENV, type FromGroup, type GroupConfig, type ToGroup } from "./protocol.js";
import { ThreadHost, type ThreadHostEvents } from "./thread-host.js";

/** How often timeouts are enforced and thread load is judged, in ms (one timer per group). */
const SAMPLE_EVERY_MS = 25;
/** An extra thread (not the group's last) that has run nothing for this long retires, in ms. */
const THREAD_IDLE_MS = 2_000;

const config = JSON.parse(process.env[GROUP_CONFIG_ENV] ?? "null") as GroupConfig | null;
if (!config || !process.send) {
  throw new Error("group-entry.js must be forked by ThreadWorkerPool (IPC channel and config required).");
}
const threadEntry = fileURLToPath(new URL("./thread-entry.js", import.meta.url));
/** Tasks one thread runs at once: one when isolated (or when its exit completes it), else any. */
const perThread = config.isolateTasks || config.completeOnlyOnThreadExit ? 1 : Number.POSITIVE_INFINITY;

/** Live threads (a terminated one leaves this list at once, before it has exited). */
const hosts: ThreadHost[] = [];
/** Every thread not yet exited, including those being terminated. */
const alive = new Set<ThreadHost>();
/** Assignments waiting for a free slot, in arrival order (reruns go first). */
let waiting: Assignment[] = [];
let outbox: OutcomeReport[] = [];
/** Ids of started assignments that asked for it (`notifyStart`), sent with the next outcomes. */
let startedOut: number[] = [];
let flushScheduled = false;
let stopping = false;

const events: ThreadHostEvents = {
  report(reports) {
    for (const report of reports) outbox.push(report);
    startWaiting();
    // Nothing else running here: no other outcome can join this batch, so send it now rather
    // than a tick later (that tick is on every message's critical path at low concurrency).
    if (!busy()) {
      flush();
      return;
    }
    scheduleFlush();
  },
  rerun(assignments) {
    if (stopping) return;
    waiting = [...assignments, ...waiting];
    startWaiting();
  },
  exited(host) {
    alive.delete(host);
    forget(host);
  },
};

function scheduleFlush(): void {
  if (flushScheduled) return;
  flushScheduled = true;
  setImmediate(flush);
}

function flush(): void {
  flushScheduled = false;
  if ((outbox.length === 0 && startedOut.length === 0) || !process.connected) return;
  const reports = outbox;
  const started = startedOut;
  outbox = [];
  startedOut = [];
  process.send?.({ type: "outcomes", started, reports } satisfies FromGroup);
}

/** Whether any thread still runs a task. */
function busy(): boolean {
  for (const host of alive) if (host.load > 0) return true;
  return false;
}

/** Tasks running on the group's threads (those of threads being stopped included, until they exit). */
function runningCount(): number {
  let count = 0;
  for (const host of alive) count += host.load;
  return count;
}

function forget(host: ThreadHost): void {
  const index = hosts.indexOf(host);
  if (index >= 0) hosts.splice(index, 1);
}

function spawn(): ThreadHost {
  const host = new ThreadHost(threadEntry, config!.completeOnlyOnThreadExit, config!.moduleUrls, events, config!.threadYoungGenerationMb);
  hosts.push(host);
  alive.add(host);
  return host;
}

/**
 * The thread for the next task: the least-loaded thread that keeps up; a new thread when every
 * thread is busy (or full, when isolated) and there is room for one; else the least-loaded.
 */
function pick(): ThreadHost {
  let best: ThreadHost | null = null;
  let fallback: ThreadHost | null = null;
  let live = 0;
  const now = performance.now();
  for (const host of hosts) {
    if (!host.accepting) continue;
    live++;
    if (host.load >= perThread) continue;
    if (!fallback || host.load < fallback.load) fallback = host;
    if (perThread !== 1 && host.isBusy(now)) continue;
    if (!best || host.load < best.load) best = host;
  }
  if (best) return best;
  if (live < config!.nThreads || !fallback) return spawn();
  return fallback;
}

/** Start waiting assignments while slots are free, one message per touched thread. */
function startWaiting(): void {
  if (stopping || waiting.length === 0) return;
  const free = config!.nThreads - runningCount();
  if (free <= 0) return;
  const starting = waiting.length <= free ? waiting : waiting.slice(0, free);
  waiting = waiting.length <= free ? [] : waiting.slice(free);
  const touched = new Set<ThreadHost>();
  for (const assignment of starting) {
    const host = pick();
    host.add(assignment);
    touched.add(host);
    if (assignment.notifyStart) startedOut.push(assignment.id);
  }
  for (const host of touched) host.flush();
  if (startedOut.length > 0) scheduleFlush();
}

/** Take the waiting assignments matching `which` out of the queue and report them with `reason`. */
function dropWaiting(reason: WireError, which: (assignment: Assignment) => boolean = () => true): void {
  const dropped = waiting.filter(which);
  if (dropped.length === 0) return;
  waiting = waiting.filter((assignment) => !which(assignment));
  events.report(dropped.map(({ id }) => ({ id, outcome: { ok: false, error: reason } })));
}

function sample(): void {
  const now = performance.now();
  for (const host of hosts) host.sample(now);
  // Threads being terminated take no work; they leave the count now, not when they have exited.
  for (const host of [...hosts]) if (!host.accepting) forget(host);
  // Retire idle extra threads, keeping one warm.
  for (let index = hosts.length - 1; index >= 0 && hosts.length > 1; index--) {
    const host = hosts[index]!;
    if (host.load === 0 && now - host.idleSince >= THREAD_IDLE_MS) {
      hosts.splice(index, 1);
      host.stop({ name: "TerminationError", message: "Idle thread retired.", stack: null, props: null });
    }
  }
}

const sampler = setInterval(sample, SAMPLE_EVERY_MS);
sampler.unref();
// Warm start: the first thread starts now and imports the task modules before any task arrives.
spawn();

process.on("message", (message: ToGroup) => {
  switch (message.type) {
    case "run":
      for (const assignment of message.assignments) waiting.push(assignment);
      startWaiting();
      break;
    case "cancel":
      dropWaiting(message.reason, (assignment) => assignment.id === message.id);
      for (const host of alive) if (host.has(message.id)) host.cancel(message.id, message.reason);
      break;
    case "drop-queued":
      dropWaiting(message.reason);
      break;
    case "stop": {
      dropWaiting(message.reason);
      stopping = true;
      clearInterval(sampler);
      hosts.length = 0;
      for (const host of alive) host.stop(message.reason);
      // Exit once every thread has reported (stopped threads report on exit).
      const waitForThreads = (): void => {
        if (alive.size === 0) {
          flush();
          process.disconnect();
        } else setTimeout(waitForThreads, 10);
      };
      waitForThreads();
      break;
    }
  }
});

// The main process owns this group's life: Ctrl-C in a terminal reaches the whole process group,
// and the main process decides (drain first, then stop us).
process.on("SIGINT", () => {});
// Orphaned (the main process died): nobody can settle our outcomes any more, so stop at once.
process.on("disconnect", () => process.exit(0));
