import { fork, type ChildProcess } from "node:child_process";
import {
  childExecArgv,
  NOT_STARTED_ERROR,
  poolWireError,
  WORKER_POOL_ENV,
  type Assignment,
  type OutcomeReport,
  type ProgressReport,
  type WireError,
  type WireOutcome,
} from "@alsek/worker";
import type { FromChild, ToChild } from "./child/protocol.js";
import { ProcessOutbox } from "./process-outbox.js";

interface Running {
  assignment: Assignment;
  /** When the child reported the task started (its module loaded); the timeout counts from here. */
  startedAt: number | null;
  /** Set once the process is being stopped on purpose: the outcome to report when it exits. */
  stopReason: WireError | null;
  /**
   * A standby that reached the child after the task it was to wait behind had ended: the child
   * starts it on arrival, as it would a `run` (its start is stamped when the pool learned the task
   * before it ended), unless its memory is over the limit: then it says `returned`.
   */
  unconfirmed: boolean;
}

/** An assignment sent ahead to the child, to start as soon as its running task ends. */
interface Standby {
  assignment: Assignment;
  /** Set once the pool cancelled it: reported with this if it comes back unstarted. */
  stopReason: WireError | null;
  /** A `return` was sent (the executor wants it for an idle process). */
  recalled: boolean;
}

/** A task that ended with a measured run time, for the executor's duration estimates. */
export interface FinishedTask {
  taskName: string;
  /** From its start (as the pool knows it) to its outcome's arrival, in ms. */
  durationMs: number;
}

/**
 * One warm child process that runs one task at a time, plus a queue of standbys: assignments sent
 * ahead, the first of which the child starts the moment the running task ends (see
 * {@link standBy}). What the pool sends it in one tick goes in one IPC write ({@link ProcessOutbox}). A
 * task that timed out or was revoked has its signal aborted first: one that ends within the abort
 * grace leaves its process reusable. Past the grace (and after a crash) the process is never
 * reused: it is stopped with SIGTERM, then SIGKILL after `killGraceMs`. A standby that did not
 * start (the process exited, the running task was stopped, the pool took it back) goes to
 * `onReturned` (in queue order), or, if it was cancelled, to `onOutcome` with its cancellation reason.
 */
export class WarmProcess {
  readonly #child: ChildProcess;
  readonly #killGraceMs: number;
  readonly #abortGraceMs: number;
  /** The pool's memory limit (`maxMemoryMb`) in bytes: the child measures its memory after each task only with one. */
  readonly #maxRssBytes: number | null;
  /** Ends the abort grace of the running task: the process is stopped if the task still runs. */
  #graceTimer: NodeJS.Timeout | null = null;
  /** The child was told to exit. */
  #exitSent = false;
  /** SIGTERM was sent: whatever the child says now is too late. */
  #stopping = false;
  readonly #onExit: (process: WarmProcess) => void;
  readonly #onOutcome: (process: WarmProcess, report: OutcomeReport, finished: FinishedTask | null) => void;
  readonly #onReturned: (assignments: Assignment[]) => void;
  readonly #outbox: ProcessOutbox<ToChild>;
  readonly #onProgress: (report: ProgressReport) => void;
  /** Modules the child has imported (as far as the pool knows). */
  readonly #loaded = new Set<string>();
  #running: Running | null = null;
  /** The standbys sent ahead, in queue order (none started as far as the pool knows). */
  #standbys: Standby[] = [];
  #exited = false;
  /** The child said it runs: an exit before that is a failure to start, not a crash of a task. */
  #ready = false;
  /** The pool asked it to leave (or killed it): an exit before it was ready is no failure then. */
  #dismissed = false;
  /** Why the fork itself failed (e.g. no Node binary), for the start failure's message. */
  #spawnError: Error | null = null;
  /** Tasks this process has finished. */
  tasksRun = 0;
  /** Resident memory reported after the last task, in bytes (0 when there is no memory limit). */
  rssBytes = 0;
  /** Set once the process was asked to leave or killed; it takes no more work. */
  retiring = false;

  /**
   * `maxRssBytes`: the memory limit, which the child checks before it starts a standby (see
   * {@link standBy}). `onOutcome`: a task's outcome (with its run time when it ran to its end unstopped); a standby
   * that started as it ended is already {@link running}. `onStartFailure`: the child exited before
   * it was ready (its task, if any, was reported as not started first). `onProgress`: the running
   * task's progress reports. `onReturned`: standbys that did not start (in queue order), to run elsewhere.
   */
  constructor(
    entry: string,
    killGraceMs: number,
    abortGraceMs: number,
    maxRssBytes: number | null,
    moduleUrls: readonly string[],
    onOutcome: (process: WarmProcess, report: OutcomeReport, finished: FinishedTask | null) => void,
    onExit: (process: WarmProcess) => void,
    onStartFailure: (error: Error) => void,
    onProgress: (report: ProgressReport) => void = () => {},
    onReturned: (assignments: Assignment[]) => void = () => {},
  ) {
    this.#killGraceMs = killGraceMs;
    this.#abortGraceMs = abortGraceMs;
    this.#maxRssBytes = maxRssBytes;
    this.#onProgress = onProgress;
    this.#onOutcome = onOutcome;
    this.#onReturned = onReturned;
    this.#onExit = onExit;
    this.#child = fork(entry, [], {
      serialization: "advanced",
      execArgv: childExecArgv(),
      env: { ...process.env, [WORKER_POOL_ENV]: "true" },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.#outbox = new ProcessOutbox((batch) => {
      if (!this.#exited && this.#child.connected) this.#child.send(batch);
    });
    this.#child.on("message", (message: FromChild) => {
      if (message.type === "ready") {
        this.#ready = true;
        return;
      }
      if (message.type === "loaded") {
        for (const moduleUrl of message.moduleUrls) this.#loaded.add(moduleUrl);
        return;
      }
      if (message.type === "returned") {
        this.#takeBack(message.ids);
        return;
      }
      const running = this.#running;
      if (!running || running.assignment.id !== message.id) return;
      if (running.stopReason) {
        // Ended after its signal aborted: reported with the stop's reason; the process is fine.
        if (message.type !== "outcome" || this.#stopping) return;
        this.#clearGrace();
        this.rssBytes = message.rssBytes;
        this.tasksRun++;
        this.#finish({ ok: false, error: running.stopReason }, message.nextStarted, false);
        return;
      }
      if (message.type === "progress") {
        this.#onProgress({ id: message.id, value: message.value });
        return;
      }
      if (message.type === "started") {
        this.#loaded.add(running.assignment.moduleUrl);
        running.startedAt ??= Date.now();
        return;
      }
      this.rssBytes = message.rssBytes;
      this.tasksRun++;
      this.#finish(message.outcome, message.nextStarted, true);
    });
    if (moduleUrls.length > 0) this.#send({ type: "preload", moduleUrls });
    const gone = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (this.#exited) return;
      this.#exited = true;
      this.#clearGrace();
      this.retiring = true;
      // Nothing the child held ahead started as far as the pool knows: it runs elsewhere.
      this.#returnStandbys(this.#standbys);
      const running = this.#running;
      if (!this.#ready && !this.#dismissed) {
        const how = this.#spawnError?.message ?? `exited (${signal ?? `code ${code}`})`;
        const error = new Error(`a worker process (${this.#child.spawnargs.join(" ")}) ${how} before it was ready`);
        if (running) {
          this.#finish({
            ok: false,
            error: poolWireError(NOT_STARTED_ERROR, "The worker process could not start; the task was handed back to its queue."),
          });
        }
        onStartFailure(error);
      } else if (running) {
        this.#finish({
          ok: false,
          error:
            running.stopReason ??
            poolWireError(
              "WorkerCrashedError",
              `The process (pid ${this.#child.pid}) running task '${running.assignment.taskName}' exited ` +
                `(${signal ?? `code ${code}`}) before it finished.`,
            ),
        });
      }
      this.#onExit(this);
    };
    this.#child.once("exit", gone);
    // A fork that could not spawn (no Node binary, no resources) reports 'error' and never 'exit'.
    this.#child.on("error", (error) => {
      this.#spawnError ??= error;
      if (this.#child.pid === undefined) gone(null, null);
    });
  }

  /** The standbys sent ahead (not started as far as the pool knows), in queue order. */
  get standbys(): Assignment[] {
    return this.#standbys.map(({ assignment }) => assignment);
  }

  /** How many standbys wait behind the running task. */
  get standbyCount(): number {
    return this.#standbys.length;
  }

  /** Whether assignment `id` waits here as a standby. */
  holdsStandby(id: number): boolean {
    return this.#standbys.some(({ assignment }) => assignment.id === id);
  }

  /**
   * Whether the process may queue `assignment` as a standby now: it runs a task that started and
   * is not being stopped, none of its standbys is being taken back or cancelled, and it has loaded
   * the assignment's module (so the child needs no `started` message to stamp its start). How
   * many may queue behind which tasks, and not past the last task before recycling, is the
   * executor's rule.
   */
  acceptsStandby(assignment: Assignment): boolean {
    const running = this.#running;
    return (
      running !== null &&
      running.startedAt !== null &&
      running.stopReason === null &&
      this.#standbys.every((standby) => !standby.recalled && standby.stopReason === null) &&
      !this.retiring &&
      !this.#exited &&
      this.#loaded.has(assignment.moduleUrl)
    );
  }

  /**
   * Queue `assignment` ahead, behind the running task and the standbys before it: the child starts
   * it as soon as the one ahead of it ends, without waiting for this pool, and that one's outcome
   * says it did (its timeout counts from that outcome's arrival). It comes back unstarted through
   * `onReturned` if a task ahead of it is stopped, the child's memory after one exceeds the limit,
   * or the process exits first.
   */
  standBy(assignment: Assignment): void {
    this.#standbys.push({ assignment, stopReason: null, recalled: false });
    this.#send({ type: "standby", assignment, maxRssBytes: this.#maxRssBytes });
  }

  /** Ask for every standby back (for an idle process): each comes through `onReturned` unless it already started. */
  recallStandbys(): void {
    for (const standby of this.#standbys) {
      if (standby.recalled) continue;
      standby.recalled = true;
      this.#send({ type: "return", id: standby.assignment.id });
    }
  }

  /** Cancel standby `id`: it is reported with `reason` once the child gave it back, or stopped as a running task if it already started. */
  cancelStandby(id: number, reason: WireError): void {
    const standby = this.#standbys.find(({ assignment }) => assignment.id === id);
    if (!standby || standby.stopReason !== null) return;
    standby.stopReason = reason;
    this.#send({ type: "abort", id, reason });
  }

  /** Whether the process can take a task now. */
  get idle(): boolean {
    return this.#running === null && !this.retiring && !this.#exited;
  }

  /** Whether the process has exited. */
  get exited(): boolean {
    return this.#exited;
  }

  /** The running assignment, if any. */
  get running(): Assignment | null {
    return this.#running?.assignment ?? null;
  }

  /** Epoch ms when the running task started, if any. */
  get startedAt(): number | null {
    return this.#running?.startedAt ?? null;
  }

  /**
   * Run `assignment`; its outcome goes to `onOutcome`. A module the child has loaded starts the
   * task on arrival, so only a first import costs the extra "started" message.
   */
  run(assignment: Assignment): void {
    const warm = this.#loaded.has(assignment.moduleUrl);
    this.#running = { assignment, startedAt: warm ? Date.now() : null, stopReason: null, unconfirmed: false };
    this.#send({ type: "run", assignment, reportStart: !warm, maxRssBytes: this.#maxRssBytes });
  }

  /**
   * Stop the running task: its signal aborts with `reason`; if it has not ended within the abort
   * grace, the process is stopped ({@link stop}). It is reported with `reason` either way.
   * `leave`: the process leaves once the task ended (the pool shuts down); an idle one leaves now.
   */
  cancel(reason: WireError, leave = false): void {
    if (leave) {
      this.retiring = true;
      this.#dismissed = true;
    }
    if (leave) this.recallStandbys();
    const running = this.#running;
    if (!running) {
      if (leave) this.retire();
      return;
    }
    if (running.stopReason !== null) return;
    if (this.#abortGraceMs <= 0 || this.#exited || !this.#child.connected) {
      this.stop(reason);
      return;
    }
    running.stopReason = reason;
    this.#send({ type: "abort", id: running.assignment.id, reason });
    this.#startGrace(running);
  }

  /** After the abort grace, stop the process if `running` still runs. */
  #startGrace(running: Running): void {
    this.#clearGrace();
    this.#graceTimer = setTimeout(() => {
      this.#graceTimer = null;
      if (this.#running === running) this.stop(running.stopReason!);
    }, this.#abortGraceMs);
  }

  /** Stop the process (SIGTERM, SIGKILL after the grace); the running task resolves with `reason` once it exited. */
  stop(reason: WireError): void {
    this.#clearGrace();
    this.#stopping = true;
    this.retiring = true;
    this.#dismissed = true;
    if (this.#running && this.#running.stopReason === null) this.#running.stopReason = reason;
    if (this.#exited) return;
    this.#child.kill("SIGTERM");
    setTimeout(() => this.kill(), this.#killGraceMs).unref();
  }

  /** Ask the process to leave (recycling): at once if idle, else once its running task ended; its standbys are taken back. */
  retire(): void {
    this.retiring = true;
    this.#dismissed = true;
    this.recallStandbys();
    if (this.#running === null) this.#leave();
  }

  /** Tell the child to exit (once). */
  #leave(): void {
    if (this.#exitSent) return;
    this.#exitSent = true;
    this.#send({ type: "exit" });
  }

  /** SIGKILL now. */
  kill(): void {
    this.#dismissed = true;
    if (!this.#exited) this.#child.kill("SIGKILL");
  }

  #clearGrace(): void {
    if (this.#graceTimer === null) return;
    clearTimeout(this.#graceTimer);
    this.#graceTimer = null;
  }

  #send(message: ToChild): void {
    if (!this.#exited && this.#child.connected) this.#outbox.push(message);
  }

  /**
   * Report the running task's outcome. `nextStarted`: the child started the first standby as the
   * task ended; a standby still held without that had not reached the child yet (the child gives
   * standbys back before the outcome), which starts it on arrival. Either way it runs now, its
   * timeout counting from here. `measured`: the task ran to
   * its end unstopped (its run time feeds the estimates).
   */
  #finish(outcome: WireOutcome, nextStarted = false, measured = false): void {
    const running = this.#running;
    if (!running) return;
    const now = Date.now();
    this.#running = null;
    this.#promoteStandby(nextStarted, now);
    if (outcome.ok) this.#loaded.add(running.assignment.moduleUrl);
    const finished =
      measured && running.startedAt !== null ? { taskName: running.assignment.taskName, durationMs: now - running.startedAt } : null;
    this.#onOutcome(this, { id: running.assignment.id, outcome }, finished);
    if (this.retiring && this.#running === null) this.#leave();
  }

  /**
   * The child gave back assignments `ids` unstarted, in queue order: each is reported with its
   * cancellation reason if it was cancelled, else handed to `onReturned`. One may be the running
   * task, when it was a standby that reached the child after the task before it had ended.
   */
  #takeBack(ids: readonly number[]): void {
    const given: Standby[] = [];
    for (const id of ids) {
      const index = this.#standbys.findIndex(({ assignment }) => assignment.id === id);
      if (index >= 0) {
        given.push(...this.#standbys.splice(index, 1));
        continue;
      }
      const running = this.#running;
      if (!running?.unconfirmed || running.assignment.id !== id) continue;
      this.#clearGrace();
      this.#running = null;
      given.push({ assignment: running.assignment, stopReason: running.stopReason, recalled: false });
      // The standby sent behind it reached an idle child too: it runs, or comes back the same way.
      this.#promoteStandby(false, Date.now());
    }
    this.#returnStandbys(given);
    if (this.retiring && this.#running === null) this.#leave();
  }

  /** The first standby becomes the running task (`nextStarted`: the child says it started it; else it starts on arrival). */
  #promoteStandby(nextStarted: boolean, now: number): void {
    const standby = this.#standbys.shift();
    if (!standby) return;
    const next: Running = { assignment: standby.assignment, startedAt: now, stopReason: standby.stopReason, unconfirmed: !nextStarted };
    this.#running = next;
    if (next.stopReason !== null) this.#startGrace(next);
  }

  /** Hand `given` back, taking them out of the queue: the cancelled ones reported with their reasons, the rest to `onReturned` in order. */
  #returnStandbys(given: readonly Standby[]): void {
    if (given.length === 0) return;
    if (given === this.#standbys) this.#standbys = [];
    else this.#standbys = this.#standbys.filter((standby) => !given.includes(standby));
    const returned: Assignment[] = [];
    for (const standby of given) {
      if (standby.stopReason) this.#onOutcome(this, { id: standby.assignment.id, outcome: { ok: false, error: standby.stopReason } }, null);
      else returned.push(standby.assignment);
    }
    if (returned.length > 0) this.#onReturned(returned);
  }
}
