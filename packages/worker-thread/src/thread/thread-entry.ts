// Compiled to dist/thread/thread-entry.js and started as a worker thread by a thread group (in
// child/child-entry.ts or in the pool's own process). It runs every assignment it gets at once
// (async tasks interleave on its event loop) and posts what happened back in one message per tick.
import { AsyncLocalStorage } from "node:async_hooks";
import { parentPort, workerData } from "node:worker_threads";
import { AttemptAbort, ChurnMap } from "@alsek/core";
import {
  decodeWireError,
  importTaskModule,
  isTypeScriptModule,
  runAssignment,
  unsendableOutcome,
  type Assignment,
  type OutcomeReport,
} from "@alsek/worker";
import { CULPRIT_SLOT, IN_FLIGHT_SLOT, PROGRESS_AT_SLOT, type FromThread, type ThreadData, type ToThread } from "../child/protocol.js";
import { sharedClockMs } from "./shared-clock.js";

const port = parentPort;
if (!port) throw new Error("thread-entry.js must run as a worker thread of an Alsek process group.");
const data = workerData as ThreadData;

// Which task's code is on the stack: a task that exits the thread or throws from a detached
// callback is named in the shared slot, so the group fails only that task.
const current = new AsyncLocalStorage<number>();
const shared = new Float64Array(data.shared);
function blame(): void {
  const id = current.getStore();
  if (id !== undefined) shared[CULPRIT_SLOT] = id;
}
process.on("exit", blame);
process.on("uncaughtExceptionMonitor", blame);

// Both of tsx's hooks, as `node --import tsx` registers them: a `.ts` module that Node treats as
// CommonJS (in a package without "type": "module", or a `.cts`) needs the CommonJS one.
async function loadTypeScript(): Promise<void> {
  const [cjs, esm] = await Promise.all([import("tsx/cjs/api"), import("tsx/esm/api")]);
  cjs.register();
  esm.register();
}

// Churn-safe collections (an entry per task): a Map here kept finished tasks alive across
// scavenges (see ChurnMap).
/** Abort switches of the tasks running here, by assignment id. */
const aborts = new ChurnMap<AttemptAbort>();
let outcomes: OutcomeReport[] = [];
const finished = new ChurnMap<Assignment>();
let scheduled = false;
/** Tasks of this thread still running (promoted standbys included): while others run, outcomes wait for the tick's batch. */
let inFlight = 0;
/** Standbys sent ahead by the group, in arrival order: each takes the slot of the next task to end. */
let standbys: Assignment[] = [];
/** Standbys that took a freed slot since the last batch: they start once that batch is posted. */
let promoted: Assignment[] = [];
/** Standbys started on the group's request (`start`) since the last batch, likewise. */
let granted: Assignment[] = [];
/** Slots the group's `start` requests offered since the last batch (`granted` used some or all). */
let offered = 0;
/** Ids of standbys going back to the group unstarted with the next batch. */
let returned: number[] = [];
/** Slots freed since the last batch with no standby here to take them. */
let unfilled = 0;

function schedule(): void {
  // Nothing else running (promoted standbys start only after the batch): nothing can join the
  // batch, so do not wait for the next tick (at concurrency 1 that wait is on every message's
  // critical path).
  if (inFlight === promoted.length + granted.length) {
    current.exit(flush);
    return;
  }
  if (scheduled) return;
  scheduled = true;
  // Outside any task's context: the flush is nobody's fault.
  current.exit(() => setImmediate(flush));
}

function flush(): void {
  scheduled = false;
  if (outcomes.length === 0 && promoted.length === 0 && offered === 0 && returned.length === 0 && unfilled === 0) return;
  // The group learns of a promoted standby before its code runs: a task that blocks the thread
  // from its first line would otherwise keep its own timeout clock from ever starting.
  const starting = [...promoted, ...granted];
  const batch: FromThread = {
    type: "batch",
    started: [],
    outcomes,
    ...(promoted.length > 0 ? { promoted: promoted.map(({ id }) => id) } : {}),
    ...(offered > 0 ? { granted: { offered, ids: granted.map(({ id }) => id) } } : {}),
    ...(returned.length > 0 ? { returned } : {}),
    ...(unfilled > 0 ? { unfilled } : {}),
  };
  outcomes = [];
  unfilled = 0;
  promoted = [];
  granted = [];
  offered = 0;
  returned = [];
  try {
    port!.postMessage(batch);
  } catch {
    // One result structured clone refuses spoils the batch: send them one by one, naming it.
    port!.postMessage({ ...batch, outcomes: [] } satisfies FromThread);
    for (const report of batch.outcomes) {
      try {
        port!.postMessage({ type: "batch", started: [], outcomes: [report] } satisfies FromThread);
      } catch (error) {
        const outcome = unsendableOutcome(finished.get(report.id)!, error);
        port!.postMessage({ type: "batch", started: [], outcomes: [{ id: report.id, outcome }] } satisfies FromThread);
      }
    }
  }
  finished.clear();
  for (const assignment of starting) start(assignment, false);
  // Closing the port leaves the thread alive only as long as work the task left behind
  // (timers, sockets) keeps its event loop busy: that is what completeOnlyOnThreadExit waits for.
  if (data.exitAfterTask && batch.outcomes.length > 0) port!.close();
}

/** Run `assignment` in its own async context (its id is the culprit while its code runs). */
function start(assignment: Assignment, reportStart: boolean): void {
  void current.run(assignment.id, () => run(assignment, reportStart));
}

async function run(assignment: Assignment, reportStart: boolean): Promise<void> {
  const abort = new AttemptAbort();
  aborts.set(assignment.id, abort);
  const outcome = await runAssignment(assignment, {
    abort,
    loadTypeScript: runAssignmentLoader,
    // Posted at once, not with the tick's batch: a task that blocks the thread from here on would
    // otherwise keep its own timeout clock from ever starting.
    onStart: reportStart
      ? () => port!.postMessage({ type: "batch", started: [assignment.id], outcomes: [] } satisfies FromThread)
      : undefined,
    onProgress: (value) => port!.postMessage({ type: "progress", id: assignment.id, value } satisfies FromThread),
  });
  aborts.delete(assignment.id);
  // The freed slot goes to the first standby, if any (it starts once this outcome is posted).
  const next = standbys.shift();
  if (next) promoted.push(next);
  else {
    inFlight--;
    unfilled++;
  }
  shared[IN_FLIGHT_SLOT] = inFlight;
  shared[PROGRESS_AT_SLOT] = sharedClockMs();
  outcomes.push({ id: assignment.id, outcome });
  finished.set(assignment.id, assignment);
  schedule();
}

/** Send the standbys `which` picks (all by default) back unstarted, with the next batch. */
function returnStandbys(which: (assignment: Assignment) => boolean = () => true): void {
  const kept: Assignment[] = [];
  for (const assignment of standbys) {
    if (which(assignment)) returned.push(assignment.id);
    else kept.push(assignment);
  }
  standbys = kept;
  // A standby promoted but not started yet (its batch waits for the tick) goes back too.
  const keep = (assignment: Assignment): boolean => {
    if (!which(assignment)) return true;
    returned.push(assignment.id);
    inFlight--;
    return false;
  };
  // A promoted one's slot is then unfilled; a granted one's is left of the offer.
  const before = promoted.length;
  promoted = promoted.filter(keep);
  unfilled += before - promoted.length;
  granted = granted.filter(keep);
  shared[IN_FLIGHT_SLOT] = inFlight;
  if (returned.length > 0) schedule();
}

/** The group offers `count` free slots to the standbys queued here: the first of them start. */
function grant(count: number): void {
  offered += count;
  for (let index = 0; index < count && standbys.length > 0; index++) {
    granted.push(standbys.shift()!);
    inFlight++;
  }
  shared[IN_FLIGHT_SLOT] = inFlight;
  schedule();
}

async function preload(moduleUrls: readonly string[]): Promise<void> {
  const loaded: string[] = [];
  for (const moduleUrl of moduleUrls) {
    try {
      if (isTypeScriptModule(moduleUrl)) await runAssignmentLoader();
      await importTaskModule(moduleUrl);
      loaded.push(moduleUrl);
    } catch {
      // The first assignment of that module imports it again and reports why it fails.
    }
  }
  // Sent even when empty: it tells the group this thread is warm.
  port!.postMessage({ type: "batch", started: [], outcomes: [], loaded } satisfies FromThread);
}

let typeScriptReady: Promise<void> | null = null;
/** Registers tsx once for this thread, whether a preload or an assignment needs it first. */
function runAssignmentLoader(): Promise<void> {
  typeScriptReady ??= loadTypeScript();
  return typeScriptReady;
}

port.on("message", (message: ToThread) => {
  if (message.type === "preload") {
    void preload(message.moduleUrls);
    return;
  }
  if (message.type === "abort") {
    const reason = decodeWireError(message.reason);
    const ids = new Set(message.ids);
    returnStandbys((assignment) => ids.has(assignment.id));
    for (const id of message.ids) aborts.get(id)?.abort(reason);
    return;
  }
  if (message.type === "return") {
    returnStandbys();
    return;
  }
  if (message.type === "start") {
    grant(message.count);
    return;
  }
  const reportStart = new Set(message.reportStart);
  if (inFlight === 0) shared[PROGRESS_AT_SLOT] = sharedClockMs();
  inFlight += message.assignments.length;
  shared[IN_FLIGHT_SLOT] = inFlight;
  for (const assignment of message.assignments) start(assignment, reportStart.has(assignment.id));
  if (message.standby) for (const assignment of message.standby) standbys.push(assignment);
});

// Tells the group this thread runs: one that exits before this could not start.
port.postMessage({ type: "batch", started: [], outcomes: [] } satisfies FromThread);
