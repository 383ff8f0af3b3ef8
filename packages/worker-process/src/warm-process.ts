import { fork, type ChildProcess } from "node:child_process";
import { childExecArgv, poolWireError, WORKER_POOL_ENV, type Assignment, type WireError, type WireOutcome } from "@alsek/core";
import type { FromChild, ToChild } from "./child/protocol.js";

interface Running {
  assignment: Assignment;
  /** When the child reported the task started (its module loaded); the timeout counts from here. */
  startedAt: number | null;
  resolve: (outcome: WireOutcome) => void;
  /** Set once the process is being stopped on purpose: the outcome to report when it exits. */
  stopReason: WireError | null;
}

/**
 * One warm child process that runs one task at a time. A process that timed out, was revoked or
 * crashed is never reused: it is stopped with SIGTERM, then SIGKILL after `killGraceMs`.
 */
export class WarmProcess {
  readonly #child: ChildProcess;
  readonly #killGraceMs: number;
  readonly #onExit: (process: WarmProcess) => void;
  #running: Running | null = null;
  #exited = false;
  /** Tasks this process has finished. */
  tasksRun = 0;
  /** Resident memory reported after the last task, in bytes. */
  rssBytes = 0;
  /** Set once the process was asked to leave or killed; it takes no more work. */
  retiring = false;

  constructor(entry: string, killGraceMs: number, onExit: (process: WarmProcess) => void) {
    this.#killGraceMs = killGraceMs;
    this.#onExit = onExit;
    this.#child = fork(entry, [], {
      serialization: "advanced",
      execArgv: childExecArgv(),
      env: { ...process.env, [WORKER_POOL_ENV]: "true" },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.#child.on("message", (message: FromChild) => {
      const running = this.#running;
      if (!running || running.assignment.id !== message.id || running.stopReason) return;
      if (message.type === "started") {
        running.startedAt = Date.now();
        return;
      }
      this.rssBytes = message.rssBytes;
      this.tasksRun++;
      this.#finish(message.outcome);
    });
    this.#child.on("error", () => {});
    this.#child.once("exit", (code, signal) => {
      this.#exited = true;
      this.retiring = true;
      const running = this.#running;
      if (running) {
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

  /** Run `assignment`; resolves with its outcome (never rejects). */
  run(assignment: Assignment): Promise<WireOutcome> {
    return new Promise((resolve) => {
      this.#running = { assignment, startedAt: null, resolve, stopReason: null };
      this.#send({ type: "run", assignment });
    });
  }

  /** Stop the process (SIGTERM, SIGKILL after the grace); the running task resolves with `reason` once it exited. */
  stop(reason: WireError): void {
    this.retiring = true;
    if (this.#running && this.#running.stopReason === null) this.#running.stopReason = reason;
    if (this.#exited) return;
    this.#child.kill("SIGTERM");
    setTimeout(() => this.kill(), this.#killGraceMs).unref();
  }

  /** Ask an idle process to leave (recycling). */
  retire(): void {
    this.retiring = true;
    this.#send({ type: "exit" });
  }

  /** SIGKILL now. */
  kill(): void {
    if (!this.#exited) this.#child.kill("SIGKILL");
  }

  #send(message: ToChild): void {
    if (!this.#exited && this.#child.connected) this.#child.send(message);
  }

  #finish(outcome: WireOutcome): void {
    const running = this.#running;
    if (!running) return;
    this.#running = null;
    running.resolve(outcome);
  }
}
