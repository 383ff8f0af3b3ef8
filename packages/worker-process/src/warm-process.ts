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

interface Running {
  assignment: Assignment;
  /** When the child reported the task started (its module loaded); the timeout counts from here. */
  startedAt: number | null;
  /** Set once the process is being stopped on purpose: the outcome to report when it exits. */
  stopReason: WireError | null;
}

/**
 * One warm child process that runs one task at a time. A task that timed out or was revoked has
 * its signal aborted first: one that ends within the abort grace leaves its process reusable.
 * Past the grace (and after a crash) the process is never reused: it is stopped with SIGTERM,
 * then SIGKILL after `killGraceMs`.
 */
export class WarmProcess {
  readonly #child: ChildProcess;
  readonly #killGraceMs: number;
  readonly #abortGraceMs: number;
  /** Ends the abort grace of the running task: the process is stopped if the task still runs. */
  #graceTimer: NodeJS.Timeout | null = null;
  /** SIGTERM was sent: whatever the child says now is too late. */
  #stopping = false;
  readonly #onExit: (process: WarmProcess) => void;
  readonly #onOutcome: (process: WarmProcess, report: OutcomeReport) => void;
  readonly #onProgress: (report: ProgressReport) => void;
  /** Modules the child has imported (as far as the pool knows). */
  readonly #loaded = new Set<string>();
  #running: Running | null = null;
  #exited = false;
  /** The child said it runs: an exit before that is a failure to start, not a crash of a task. */
  #ready = false;
  /** The pool asked it to leave (or killed it): an exit before it was ready is no failure then. */
  #dismissed = false;
  /** Why the fork itself failed (e.g. no Node binary), for the start failure's message. */
  #spawnError: Error | null = null;
  /** Tasks this process has finished. */
  tasksRun = 0;
  /** Resident memory reported after the last task, in bytes. */
  rssBytes = 0;
  /** Set once the process was asked to leave or killed; it takes no more work. */
  retiring = false;

  /**
   * `onStartFailure`: the child exited before it was ready (its task, if any, was reported as not
   * started first). `onProgress`: the running task's progress reports.
   */
  constructor(
    entry: string,
    killGraceMs: number,
    abortGraceMs: number,
    moduleUrls: readonly string[],
    onOutcome: (process: WarmProcess, report: OutcomeReport) => void,
    onExit: (process: WarmProcess) => void,
    onStartFailure: (error: Error) => void,
    onProgress: (report: ProgressReport) => void = () => {},
  ) {
    this.#killGraceMs = killGraceMs;
    this.#abortGraceMs = abortGraceMs;
    this.#onProgress = onProgress;
    this.#onOutcome = onOutcome;
    this.#onExit = onExit;
    this.#child = fork(entry, [], {
      serialization: "advanced",
      execArgv: childExecArgv(),
      env: { ...process.env, [WORKER_POOL_ENV]: "true" },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
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
      const running = this.#running;
      if (!running || running.assignment.id !== message.id) return;
      if (running.stopReason) {
        // Ended after its signal aborted: reported with the stop's reason; the process is fine.
        if (message.type !== "outcome" || this.#stopping) return;
        this.#clearGrace();
        this.rssBytes = message.rssBytes;
        this.tasksRun++;
        this.#finish({ ok: false, error: running.stopReason });
        if (this.retiring) this.#send({ type: "exit" });
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
      this.#finish(message.outcome);
    });
    if (moduleUrls.length > 0) this.#send({ type: "preload", moduleUrls });
    const gone = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (this.#exited) return;
      this.#exited = true;
      this.#clearGrace();
      this.retiring = true;
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
    this.#running = { assignment, startedAt: warm ? Date.now() : null, stopReason: null };
    this.#send({ type: "run", assignment, reportStart: !warm });
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
    this.#graceTimer = setTimeout(() => {
      this.#graceTimer = null;
      if (this.#running === running) this.stop(reason);
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

  /** Ask an idle process to leave (recycling). */
  retire(): void {
    this.retiring = true;
    this.#dismissed = true;
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
    if (!this.#exited && this.#child.connected) this.#child.send(message);
  }

  #finish(outcome: WireOutcome): void {
    const running = this.#running;
    if (!running) return;
    this.#running = null;
    if (outcome.ok) this.#loaded.add(running.assignment.moduleUrl);
    this.#onOutcome(this, { id: running.assignment.id, outcome });
  }
}
