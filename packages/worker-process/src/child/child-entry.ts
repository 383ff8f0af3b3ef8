// Compiled to dist/child/child-entry.js and forked by ProcessWorkerPool: a warm process that
// runs one assignment at a time (with the standbys the pool sent ahead queued behind it), reused
// until the pool recycles or replaces it.
import { AttemptAbort } from "@alsek/core";
import {
  decodeWireError,
  importTaskModule,
  isTypeScriptModule,
  runAssignment,
  unsendableOutcome,
  type Assignment,
} from "@alsek/worker";
import type { FromChild, ToChild, ToChildBatch } from "./protocol.js";

if (!process.send) throw new Error("child-entry.js must be forked by ProcessWorkerPool (IPC channel required).");

let typeScriptReady: Promise<void> | null = null;
/**
 * Registers tsx once, whether a preload or an assignment needs it first: both of its hooks, as
 * `node --import tsx` does, since a `.ts` module that Node treats as CommonJS (in a package
 * without "type": "module", or a `.cts`) needs the CommonJS one.
 */
function loadTypeScript(): Promise<void> {
  typeScriptReady ??= Promise.all([import("tsx/cjs/api"), import("tsx/esm/api")]).then(([cjs, esm]) => {
    cjs.register();
    esm.register();
  });
  return typeScriptReady;
}

/**
 * Send `message` to the pool. A pool that is gone (killed) fails the write asynchronously: that
 * error is ignored here, since the 'disconnect' that follows ends this process.
 */
function send(message: FromChild): void {
  if (process.connected) process.send!(message, undefined, undefined, ignoreLostPool);
}

function ignoreLostPool(): void {}

/** Import the task modules before the first task arrives (warm start). */
async function preload(moduleUrls: readonly string[]): Promise<void> {
  const loaded: string[] = [];
  for (const moduleUrl of moduleUrls) {
    try {
      if (isTypeScriptModule(moduleUrl)) await loadTypeScript();
      await importTaskModule(moduleUrl);
      loaded.push(moduleUrl);
    } catch {
      // The first task of that module imports it again and reports why it fails.
    }
  }
  if (loaded.length > 0) send({ type: "loaded", moduleUrls: loaded });
}

/** The running task's id and abort switch (one task at a time). */
let current: { id: number; abort: AttemptAbort } | null = null;

/** An assignment to start once the ones ahead of it ended, and the memory limit it starts under. */
interface QueuedStandby {
  assignment: Assignment;
  maxRssBytes: number | null;
}

/** The standbys, in the order the pool sent them: the first starts as soon as the running task ends. */
let standbys: QueuedStandby[] = [];

function overMemory(rssBytes: number, maxRssBytes: number | null): boolean {
  return maxRssBytes !== null && rssBytes > maxRssBytes;
}

/** Tell the pool that the standbys `given` never started here (and never will). */
function giveBack(given: readonly QueuedStandby[]): void {
  if (given.length === 0) return;
  send({ type: "returned", ids: given.map(({ assignment }) => assignment.id) });
}

/** Take standby `id` out of the queue and give it back, if it is queued (not started, nor given back already). */
function giveBackOne(id: number): void {
  const index = standbys.findIndex(({ assignment }) => assignment.id === id);
  if (index >= 0) giveBack(standbys.splice(index, 1));
}

/**
 * Run `assignment`, then report its outcome. The first standby queued behind it starts right away
 * (the outcome says so), unless this task's signal was aborted (its process may be stopping) or
 * the memory after it is over the standby's limit (the pool recycles this process): then every
 * queued standby goes back.
 */
function run(assignment: Assignment, reportStart: boolean, maxRssBytes: number | null): void {
  const abort = new AttemptAbort();
  current = { id: assignment.id, abort };
  void (async () => {
    const outcome = await runAssignment(assignment, {
      abort,
      loadTypeScript,
      onStart: reportStart ? () => send({ type: "started", id: assignment.id }) : undefined,
      onProgress: (value) => send({ type: "progress", id: assignment.id, value }),
    });
    if (current?.id === assignment.id) current = null;
    const rssBytes = maxRssBytes === null ? 0 : process.memoryUsage.rss();
    const next = standbys[0];
    const nextStarted = next !== undefined && !abort.aborted && !overMemory(rssBytes, next.maxRssBytes);
    if (nextStarted) standbys.shift();
    else {
      giveBack(standbys);
      standbys = [];
    }
    const report: FromChild = { type: "outcome", id: assignment.id, outcome, rssBytes, nextStarted };
    try {
      send(report);
    } catch (error) {
      send({ ...report, outcome: unsendableOutcome(assignment, error) });
    }
    if (next && nextStarted) run(next.assignment, false, next.maxRssBytes);
  })();
}

function handle(message: ToChild): void {
  if (message.type === "abort") {
    if (current?.id === message.id) current.abort.abort(decodeWireError(message.reason));
    else giveBackOne(message.id);
    return;
  }
  if (message.type === "return") {
    giveBackOne(message.id);
    return;
  }
  if (message.type === "exit") {
    // Disconnecting inside the 'message' handler trips Node's IPC bookkeeping; leave the tick first.
    setImmediate(() => process.disconnect());
    return;
  }
  if (message.type === "preload") {
    void preload(message.moduleUrls);
    return;
  }
  if (message.type === "standby") {
    if (current !== null) {
      standbys.push({ assignment: message.assignment, maxRssBytes: message.maxRssBytes });
      return;
    }
    // The task it was to wait behind ended before it arrived: it starts now, as a `run` would (the
    // pool counts it running since that task's outcome), if memory allows.
    if (message.maxRssBytes !== null && overMemory(process.memoryUsage.rss(), message.maxRssBytes)) {
      giveBack([{ assignment: message.assignment, maxRssBytes: message.maxRssBytes }]);
      return;
    }
    run(message.assignment, false, message.maxRssBytes);
    return;
  }
  run(message.assignment, message.reportStart, message.maxRssBytes);
}

// One write of the pool: a tick's messages, in order.
process.on("message", (batch: ToChildBatch) => {
  for (const message of batch) handle(message);
});

send({ type: "ready" });

// The pool decides when a running task stops (Ctrl-C reaches the whole terminal process group).
process.on("SIGINT", () => {});
// Orphaned or told to leave: nothing can settle our work any more.
process.on("disconnect", () => process.exit(0));
