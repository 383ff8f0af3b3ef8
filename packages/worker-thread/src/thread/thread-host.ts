import { performance } from "node:perf_hooks";
import type { EventLoopUtilization } from "node:perf_hooks";
import { Worker, type ResourceLimits } from "node:worker_threads";
// Types only, and core's small collections entry: the group's own thread never loads the rest of
// @alsek/core (or anything else a task needs), which keeps the group process small; only its worker
// threads load the task modules.
import { ChurnMap } from "@alsek/core/collections";
import type { Assignment, OutcomeReport, ProgressReport, WireError, WireOutcome } from "@alsek/worker";
import { CULPRIT_SLOT, IN_FLIGHT_SLOT, PROGRESS_AT_SLOT, SHARED_BYTES, type FromThread, type ThreadData, type ToThread } from "../child/protocol.js";
import { sharedClockMs } from "./shared-clock.js";

/** A thread whose event loop was busier than this over the last window counts as busy. */
export const BUSY_UTILIZATION = 0.8;
/** Length of the window over which a thread's event loop utilization is judged, in ms. */
export const UTILIZATION_WINDOW_MS = 100;

/**
 * Core's `NOT_STARTED_ERROR` (the group's thread loads no core code; a test keeps the two equal):
 * an assignment reported with it goes back to its queue untouched.
 */
export const NOT_STARTED_ERROR_NAME = "AssignmentNotStarted";

/** A {@link WireError} made by the group (same shape as core's `poolWireError`). */
function groupWireError(name: string, message: string): WireError {
  return { name, message, stack: null, props: null };
}

/** Shortest stretch over which a placement looks at a thread's utilization on its own, in ms. */
const QUICK_LOOK_MS = 20;
/**
 * A busy thread that has finished no task for this long is blocked by a long task, in ms. Long
 * enough that a thread of short tasks on a loaded machine (descheduled for a few time slices) does
 * not read as blocked; short enough that new tasks soon get a thread of their own.
 */
const BLOCKED_AFTER_MS = 60;
/**
 * Standbys a thread holds at most, per task it runs (and at least {@link MIN_STANDBYS}): enough
 * that a thread of very short tasks still has one queued when the group's next ones arrive.
 */
const STANDBYS_PER_TASK = 2;
/** Standbys a thread running any task may hold, however few it runs. */
const MIN_STANDBYS = 16;

interface Running {
  assignment: Assignment;
  /** `performance.now()` past which the task is stopped; null until it started. */
  deadline: number | null;
}

/** An assignment sent ahead to the thread, to start in the slot of the next of its tasks to end. */
interface Standby {
  assignment: Assignment;
  /** Set once the group cancelled it: it is stopped if it started, reported with this if not. */
  cancelReason: WireError | null;
  /** Set once it was sent back for good (queued work dropped, thread stopped): reported with this if it comes back unstarted. */
  returnReason: WireError | null;
}

/** How a {@link ThreadHost} starts its thread, beyond what every thread gets. */
export interface ThreadOptions {
  /** The thread's nursery cap in MiB (see `GroupConfig.threadYoungGenerationMb`); omitted: V8's default. */
  youngGenerationMb?: number;
  /** The thread's `process.env`; omitted: a copy of this process's. */
  env?: NodeJS.ProcessEnv;
  /** The thread's Node flags; omitted: this process's. */
  execArgv?: string[];
  /** The thread's heap limits (`youngGenerationMb`, when set, wins over `maxYoungGenerationSizeMb`). */
  resourceLimits?: ResourceLimits;
  /**
   * How long a stopped task may take to end on its own once its signal aborted, in ms, before the
   * thread is terminated; omitted or 0: terminated at once.
   */
  abortGraceMs?: number;
}

/** What a {@link ThreadHost} tells its group. */
export interface ThreadHostEvents {
  /** Final outcomes. */
  report(reports: OutcomeReport[]): void;
  /** Progress of a task running on the thread. */
  progress(report: ProgressReport): void;
  /** Tasks that were sharing a thread another task brought down: run them again elsewhere. */
  rerun(assignments: Assignment[]): void;
  /** Standbys that started on the thread (in the slots of outcomes reported just after). */
  promoted(assignments: Assignment[]): void;
  /** Standbys the thread sent back unstarted, for the group to place again (first in line). */
  returned(assignments: Assignment[]): void;
  /** The thread is gone (after its tasks were reported or handed back). */
  exited(host: ThreadHost): void;
  /** The thread exited before it ran (its tasks were reported as not started first). */
  startFailed(error: Error): void;
}

/**
 * One worker thread of a process group, running any number of tasks at once. A task past its
 * timeout, cancelled or revoked has its signal aborted first: if it ends within the abort grace,
 * it is reported with the stop's reason and the thread lives on. Otherwise the thread is
 * terminated; the tasks that shared it are handed back to the group and run again on another
 * thread (no retry consumed). A thread that dies on
 * its own fails the task it can blame (the one whose code called `process.exit` or threw
 * uncaught, or the only one running); the others are run again. If it cannot tell, all fail.
 *
 * It may also hold standbys ({@link addStandby}): assignments sent ahead, each started by the
 * thread in the slot of the next of its tasks to end. They are not part of {@link load} until
 * they start; one that does not start (cancelled, sent back, or its thread gone) is reported with
 * its reason, or handed back to the group to run elsewhere.
 */
export class ThreadHost {
  readonly #worker: Worker;
  readonly #events: ThreadHostEvents;
  // Churn-safe collections (an entry per message): a Map here kept finished ones alive across
  // scavenges (see ChurnMap).
  readonly #running = new ChurnMap<Running>();
  /** Standbys sent to the thread and neither started nor back yet (see {@link addStandby}). */
  readonly #standbys = new ChurnMap<Standby>();
  #standbyOutbox: Assignment[] = [];
  /** A `return` of every standby is on its way: no more are sent until they are back. */
  #recalling = false;
  /** Slots offered to queued standbys by `start` requests not answered yet (they count as load). */
  #offered = 0;
  /** Modules this thread has imported (as far as the group knows). */
  readonly #loaded = new Set<string>();
  /** Slots the thread writes: see {@link ThreadData.shared}. */
  readonly #shared: Float64Array;
  readonly #exitAfterTask: boolean;
  readonly #abortGraceMs: number;
  /** Grace timers of aborted tasks (each terminates the thread if its tasks are still running). */
  readonly #graceTimers = new Set<NodeJS.Timeout>();
  /** Outcomes held until the thread exits (completeOnlyOnThreadExit). */
  readonly #held = new Map<number, WireOutcome>();
  /** Outcomes decided by the group for tasks it stopped (timeout, cancel). */
  readonly #stopped = new Map<number, WireError>();
  #outbox: Assignment[] = [];
  #stopAll: WireError | null = null;
  #crash: string | null = null;
  #dying = false;
  /** The thread has sent its first message: it runs. */
  #ready = false;
  /** Done importing the task modules: until then its busy loop is start-up, not load. */
  #warm: boolean;
  #utilization: EventLoopUtilization | null = null;
  #sampledAt = 0;
  /** Busier than {@link BUSY_UTILIZATION} over the last window (or blocked by a task). */
  busy = false;
  /** `performance.now()` since when the thread has run nothing. */
  idleSince = performance.now();

  constructor(
    entry: string,
    exitAfterTask: boolean,
    moduleUrls: readonly string[],
    events: ThreadHostEvents,
    options: ThreadOptions = {},
  ) {
    this.#events = events;
    this.#exitAfterTask = exitAfterTask;
    this.#abortGraceMs = options.abortGraceMs ?? 0;
    const shared = new SharedArrayBuffer(SHARED_BYTES);
    this.#shared = new Float64Array(shared);
    this.#warm = moduleUrls.length === 0;
    const { youngGenerationMb, env, execArgv } = options;
    const resourceLimits: ResourceLimits = {
      ...options.resourceLimits,
      ...(youngGenerationMb === undefined ? {} : { maxYoungGenerationSizeMb: youngGenerationMb }),
    };
    this.#worker = new Worker(entry, {
      workerData: { exitAfterTask, shared } satisfies ThreadData,
      ...(Object.keys(resourceLimits).length === 0 ? {} : { resourceLimits }),
      ...(env === undefined ? {} : { env }),
      ...(execArgv === undefined ? {} : { execArgv }),
    });
    if (moduleUrls.length > 0) this.#worker.postMessage({ type: "preload", moduleUrls } satisfies ToThread);
    this.#worker.on("message", (message: FromThread) => {
      if (message.type === "progress") {
        if (this.#running.has(message.id) && !this.#stopped.has(message.id)) this.#events.progress({ id: message.id, value: message.value });
        return;
      }
      this.#onBatch(message);
    });
    // An uncaught error ends the thread; its 'exit' follows and reports the crash.
    this.#worker.on("error", (error) => {
      this.#crash ??= `crashed: ${error.message}`;
    });
    this.#worker.on("exit", (code) => this.#onExit(code));
  }

  /** Tasks running (or on their way to the thread), and slots offered to its standbys. */
  get load(): number {
    return this.#running.size + this.#offered;
  }

  /** Whether the thread takes more tasks (it is not being stopped). */
  get accepting(): boolean {
    return !this.#dying;
  }

  /**
   * Whether `assignment` may wait on this thread as a standby, to start the moment one of its
   * tasks ends: the thread runs (and takes work, and its exit completes no task), it runs a task
   * and has this task's module loaded, it holds fewer than {@link STANDBYS_PER_TASK} standbys per
   * running task (at least {@link MIN_STANDBYS}), and it keeps finishing tasks (none blocked by a
   * long one, see {@link isProgressing}).
   */
  acceptsStandby(assignment: Assignment, now: number): boolean {
    return (
      this.#ready &&
      this.#warm &&
      !this.#dying &&
      !this.#stopAll &&
      !this.#exitAfterTask &&
      !this.#recalling &&
      this.#running.size > 0 &&
      this.#standbys.size < Math.max(MIN_STANDBYS, STANDBYS_PER_TASK * this.#running.size) &&
      this.#loaded.has(assignment.moduleUrl) &&
      this.isProgressing(now)
    );
  }

  /** Send `assignment` ahead as a standby; it is posted with the others of this tick by {@link flush}. */
  addStandby(assignment: Assignment): void {
    this.#standbys.set(assignment.id, { assignment, cancelReason: null, returnReason: null });
    this.#standbyOutbox.push(assignment);
  }

  /**
   * Ask the thread for its standbys back. With `reason` they are reported with it when they come
   * back unstarted (queued work dropped); without, they go back to the group to run elsewhere.
   */
  returnStandbys(reason?: WireError): void {
    if (this.#standbys.size === 0) return;
    if (reason) for (const standby of this.#standbys.values()) standby.returnReason ??= reason;
    if (this.#recalling || this.#dying) return;
    this.#recalling = true;
    this.#worker.postMessage({ type: "return" } satisfies ToThread);
  }

  /** Whether the thread holds standbys while it finishes nothing (blocked by a long task, see {@link isProgressing}). */
  standbysBehindLongTask(now: number): boolean {
    return this.#standbys.size > 0 && !this.#recalling && !this.isProgressing(now);
  }

  /** Add `assignment`; it is posted with the others of this tick by {@link flush}. */
  add(assignment: Assignment): void {
    const deadline = this.#loaded.has(assignment.moduleUrl) ? performance.now() + assignment.timeoutMs : null;
    this.#running.set(assignment.id, { assignment, deadline });
    this.#outbox.push(assignment);
  }

  /** Post the assignments added since the last flush, in one message. */
  flush(): void {
    if (this.#outbox.length === 0 && this.#standbyOutbox.length === 0) return;
    const assignments = this.#outbox;
    const standby = this.#standbyOutbox;
    this.#outbox = [];
    this.#standbyOutbox = [];
    const reportStart: number[] = [];
    for (const assignment of assignments) {
      if (this.#running.get(assignment.id)?.deadline === null) reportStart.push(assignment.id);
    }
    this.#worker.postMessage({
      type: "run",
      assignments,
      reportStart,
      ...(standby.length > 0 ? { standby } : {}),
    } satisfies ToThread);
  }

  /** Whether the thread runs assignment `id` (or holds it as a standby). */
  has(id: number): boolean {
    return this.#running.has(id) || this.#standbys.has(id);
  }

  /**
   * Stop assignment `id`: its signal aborts; unless it ends within the abort grace, its thread is
   * terminated and the others sharing it run again elsewhere. It is reported with `reason`.
   */
  cancel(id: number, reason: WireError): void {
    const standby = this.#standbys.get(id);
    if (standby) {
      // The thread sends it back unstarted, or aborts it if it has started meanwhile; its
      // promotion then puts it under the abort grace like any stopped task.
      if (standby.cancelReason || this.#dying) return;
      standby.cancelReason = reason;
      this.#worker.postMessage({ type: "abort", ids: [id], reason } satisfies ToThread);
      return;
    }
    if (!this.#running.has(id) || this.#stopped.has(id)) return;
    this.#stopped.set(id, reason);
    this.#abortThenTerminate([id], reason);
  }

  /**
   * Stop the thread; every task on it is reported with `reason`. Running tasks have their signals
   * aborted first and the abort grace to end; the thread is terminated once none runs.
   */
  stop(reason: WireError): void {
    if (this.#stopAll) return;
    this.#stopAll = reason;
    this.returnStandbys(reason);
    const ids = [...this.#running.keys()].filter((id) => !this.#stopped.has(id));
    if (this.#running.size === 0 || ids.length === 0) {
      if (this.#running.size === 0) this.#terminate();
      return;
    }
    this.#abortThenTerminate(ids, reason);
  }

  /**
   * Abort the signals of `ids` in the thread; terminate it if any of them still runs once the
   * abort grace is over (at once without a grace).
   */
  #abortThenTerminate(ids: number[], reason: WireError): void {
    if (this.#dying) return;
    if (this.#abortGraceMs <= 0) {
      this.#terminate();
      return;
    }
    this.#worker.postMessage({ type: "abort", ids, reason } satisfies ToThread);
    const timer = setTimeout(() => {
      this.#graceTimers.delete(timer);
      if (ids.some((id) => this.#running.has(id))) this.#terminate();
    }, this.#abortGraceMs);
    this.#graceTimers.add(timer);
  }

  /**
   * Enforce timeouts and judge how busy the thread is; called by the group on one shared timer.
   * A thread blocked by a task reports no idle time, so it reads as busy.
   */
  sample(now: number): void {
    for (const { assignment, deadline } of this.#running.values()) {
      if (deadline !== null && now >= deadline) {
        this.cancel(
          assignment.id,
          groupWireError(
            "TaskTimeoutError",
            `Task '${assignment.taskName}' exceeded its timeout of ${assignment.timeoutMs} ms; its thread was terminated.`,
          ),
        );
      }
    }
    if (now - this.#sampledAt < UTILIZATION_WINDOW_MS || this.#dying) return;
    const total = this.#worker.performance.eventLoopUtilization();
    if (this.#utilization && this.#warm) {
      this.busy = this.#worker.performance.eventLoopUtilization(total, this.#utilization).utilization > BUSY_UTILIZATION;
    }
    this.#utilization = total;
    this.#sampledAt = now;
  }

  /**
   * Whether the thread reads as busy right now: its last judgement, or, when a task has blocked
   * it since (at least {@link QUICK_LOOK_MS} ago), what its event loop did since that judgement.
   */
  isBusy(now: number): boolean {
    if (this.busy || !this.#warm || !this.#utilization || now - this.#sampledAt < QUICK_LOOK_MS) return this.busy;
    const since = this.#worker.performance.eventLoopUtilization(this.#utilization);
    return since.utilization > BUSY_UTILIZATION;
  }

  /**
   * Whether the thread keeps finishing tasks: it has none in hand, or it finished one (or took work
   * while idle) within the last {@link BLOCKED_AFTER_MS}. Busy with many short tasks, then, not
   * blocked by one long task. Read from the slots the thread writes, so a lag of the group's event
   * loop (outcomes not yet read, work not yet arrived) does not make a thread look blocked.
   */
  isProgressing(now: number): boolean {
    const shared = this.#shared;
    return shared[IN_FLIGHT_SLOT] === 0 || sharedClockMs(now) - shared[PROGRESS_AT_SLOT]! < BLOCKED_AFTER_MS;
  }

  #terminate(): void {
    this.#dying = true;
    void this.#worker.terminate();
  }

  #onBatch(message: Extract<FromThread, { type: "batch" }>): void {
    this.#ready = true;
    const now = performance.now();
    if (message.loaded) {
      this.#warm = true;
      for (const moduleUrl of message.loaded) this.#loaded.add(moduleUrl);
    }
    for (const id of message.started) {
      const running = this.#running.get(id);
      if (!running) continue;
      this.#loaded.add(running.assignment.moduleUrl);
      running.deadline ??= now + running.assignment.timeoutMs;
      // A task's code runs there now: what keeps the thread busy from here on is load, even while
      // it still imports other modules (a task that blocks it holds back that import's report).
      this.#warm = true;
    }
    let reports: OutcomeReport[] | null = null;
    if (message.outcomes.length > 0) this.#warm = true;
    for (const report of message.outcomes) {
      const running = this.#running.get(report.id);
      if (!running) continue;
      const stopped = this.#stopAll ?? this.#stopped.get(report.id);
      if (stopped) {
        // Ended after its signal aborted: the stop's reason is its outcome. A dying thread (or one
        // whose exit completes its task) reports it on exit instead.
        if (this.#dying || this.#exitAfterTask) continue;
        this.#running.delete(report.id);
        this.#stopped.delete(report.id);
        (reports ??= []).push({ id: report.id, outcome: { ok: false, error: stopped } });
        continue;
      }
      if (this.#exitAfterTask) {
        this.#held.set(report.id, report.outcome);
        continue;
      }
      this.#running.delete(report.id);
      (reports ??= []).push(report);
    }
    let promoted = message.promoted ? this.#promote(message.promoted, now) : null;
    if (message.granted) {
      this.#offered -= message.granted.offered;
      const granted = this.#promote(message.granted.ids, now);
      promoted = promoted ? [...promoted, ...granted] : granted;
    }
    const returned = message.returned ? this.#takeBack(message.returned, (reports ??= [])) : null;
    // Slots the thread freed with no standby there yet to take them (those on their way arrived
    // after), and slots a `start` offered that found no standby there (its standbys had taken
    // other slots, or were still on their way): offer them to the standbys the thread holds,
    // before the group counts them as free. An offer counted as pending when a slot freed left that
    // slot unoffered; without this, a standby that arrives after an unused offer waits forever
    // on a thread with every slot free.
    const unused = message.granted ? message.granted.offered - message.granted.ids.length : 0;
    const spare = Math.min((message.unfilled ?? 0) + unused, this.#standbys.size - this.#offered);
    if (spare > 0 && !this.#dying && !this.#stopAll && !this.#recalling) {
      this.#offered += spare;
      this.#worker.postMessage({ type: "start", count: spare } satisfies ToThread);
    }
    if (this.#running.size === 0 && this.#offered === 0) {
      this.idleSince = now;
      if (this.#stopAll) this.#terminate();
    }
    if (promoted) this.#events.promoted(promoted);
    if (returned) this.#events.returned(returned);
    if (reports && reports.length > 0) this.#events.report(reports);
  }

  /** Standbys `ids` started on the thread: they run now, timed from this batch's arrival. */
  #promote(ids: readonly number[], now: number): Assignment[] {
    const promoted: Assignment[] = [];
    for (const id of ids) {
      const standby = this.#standbys.get(id);
      if (!standby) continue;
      this.#standbys.delete(id);
      const { assignment } = standby;
      this.#running.set(id, { assignment, deadline: now + assignment.timeoutMs });
      promoted.push(assignment);
      // Cancelled (or the thread stopped) while it was on its way: it is stopped like a running task.
      const reason = standby.cancelReason ?? this.#stopAll;
      if (reason) {
        this.#stopped.set(id, reason);
        this.#abortThenTerminate([id], reason);
      }
    }
    if (this.#standbys.size === 0) this.#recalling = false;
    return promoted;
  }

  /**
   * Standbys `ids` came back unstarted: those cancelled or sent back for good are reported (into
   * `reports`); the others are returned, for the group to place again.
   */
  #takeBack(ids: readonly number[], reports: OutcomeReport[]): Assignment[] {
    const returned: Assignment[] = [];
    for (const id of ids) {
      const standby = this.#standbys.get(id);
      if (!standby) continue;
      this.#standbys.delete(id);
      const reason = standby.cancelReason ?? standby.returnReason ?? this.#stopAll;
      if (reason) reports.push({ id, outcome: { ok: false, error: reason } });
      else returned.push(standby.assignment);
    }
    if (this.#standbys.size === 0) this.#recalling = false;
    return returned;
  }

  #onExit(code: number): void {
    for (const timer of this.#graceTimers) clearTimeout(timer);
    this.#graceTimers.clear();
    const stoppedByUs = this.#dying;
    this.#dying = true;
    this.#offered = 0;
    if (!this.#ready && !stoppedByUs) {
      const why = this.#crash ?? `exited (code ${code})`;
      const reason = groupWireError(NOT_STARTED_ERROR_NAME, "The worker thread could not start; the task was handed back to its queue.");
      const reports = [...this.#running.keys(), ...this.#standbys.keys()].map((id) => ({ id, outcome: { ok: false as const, error: reason } }));
      this.#running.clear();
      this.#standbys.clear();
      if (reports.length > 0) this.#events.report(reports);
      this.#events.startFailed(new Error(`a worker thread ${why} before it was ready`));
      this.#events.exited(this);
      return;
    }
    const blamed = this.#shared[CULPRIT_SLOT] || (this.#running.size === 1 ? this.#running.keys().next().value! : 0);
    const reports: OutcomeReport[] = [];
    const rerun: Assignment[] = [];
    for (const [id, { assignment }] of this.#running) {
      const stopped = this.#stopAll ?? this.#stopped.get(id);
      const held = this.#held.get(id);
      if (stopped) reports.push({ id, outcome: { ok: false, error: stopped } });
      else if (held) reports.push({ id, outcome: held });
      else if (this.#stopped.size > 0 || (blamed !== 0 && blamed !== id)) rerun.push(assignment);
      else reports.push({ id, outcome: this.#crashOutcome(assignment, code) });
    }
    this.#running.clear();
    // Standbys never reported started: unstarted, or started and brought down with the thread
    // (reported as a crash only when their own code is to blame).
    for (const [id, standby] of this.#standbys) {
      const reason = standby.cancelReason ?? standby.returnReason ?? this.#stopAll;
      if (reason) reports.push({ id, outcome: { ok: false, error: reason } });
      else if (this.#shared[CULPRIT_SLOT] === id) reports.push({ id, outcome: this.#crashOutcome(standby.assignment, code) });
      else rerun.push(standby.assignment);
    }
    this.#standbys.clear();
    // Reruns first: they take the freed slots ahead of anything queued in the group.
    if (rerun.length > 0) this.#events.rerun(rerun);
    if (reports.length > 0) this.#events.report(reports);
    this.#events.exited(this);
  }

  /** The outcome of `assignment`, whose code brought the thread down (exit `code`). */
  #crashOutcome(assignment: Assignment, code: number): WireOutcome {
    const what = this.#crash ?? `exited (code ${code}) before it finished`;
    return {
      ok: false,
      error: groupWireError("WorkerCrashedError", `The worker thread running task '${assignment.taskName}' ${what}.`),
    };
  }
}
