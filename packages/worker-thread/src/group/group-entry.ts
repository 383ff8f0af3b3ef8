// Compiled to dist/group/group-entry.js and forked by ThreadWorkerPool: one process group that
// runs its tasks on as few worker threads as keep up (up to nThreads) and reports outcomes to the
// pool's main process, batched per tick.
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import type { Assignment, OutcomeReport } from "@alsek/core";
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
let outbox: OutcomeReport[] = [];
let flushScheduled = false;
let stopping = false;

const events: ThreadHostEvents = {
  report(reports) {
    for (const report of reports) outbox.push(report);
    // Nothing else running here: no other outcome can join this batch, so send it now rather
    // than a tick later (that tick is on every message's critical path at low concurrency).
    if (!busy()) {
      flush();
      return;
    }
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  },
  rerun(assignments) {
    if (stopping) return;
    place(assignments);
  },
  exited(host) {
    alive.delete(host);
    forget(host);
  },
};

function flush(): void {
  flushScheduled = false;
  if (outbox.length === 0 || !process.connected) return;
  const reports = outbox;
  outbox = [];
  process.send?.({ type: "outcomes", reports } satisfies FromGroup);
}

/** Whether any thread still runs a task. */
function busy(): boolean {
  for (const host of alive) if (host.load > 0) return true;
  return false;
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

function place(assignments: readonly Assignment[]): void {
  const touched = new Set<ThreadHost>();
  for (const assignment of assignments) {
    const host = pick();
    host.add(assignment);
    touched.add(host);
  }
  for (const host of touched) host.flush();
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
      place(message.assignments);
      break;
    case "cancel":
      for (const host of alive) if (host.has(message.id)) host.cancel(message.id, message.reason);
      break;
    case "stop": {
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
