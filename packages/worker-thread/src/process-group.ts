import { fork, type ChildProcess } from "node:child_process";
import {
  childExecArgv,
  poolWireError,
  WORKER_POOL_ENV,
  type Assignment,
  type WireError,
  type WireOutcome,
} from "@alsek/core";
import { GROUP_CONFIG_ENV, type FromGroup, type GroupConfig, type ToGroup } from "./group/protocol.js";

/** How long a stopping group may take to report and exit before it is killed. */
export const GROUP_STOP_GRACE_MS = 5_000;

/**
 * The main process's handle on one process group (a child process running up to `nThreads`
 * worker threads). Assignments made in the same tick go out in one IPC message.
 */
export class ProcessGroup {
  readonly #child: ChildProcess;
  readonly #inFlight = new Map<number, (outcome: WireOutcome) => void>();
  #outbox: Assignment[] = [];
  #exited = false;
  #exitPromise: Promise<void>;
  #onSettled: () => void;
  /** Epoch ms since when the group has had nothing to run. */
  idleSince = Date.now();
  /** Set once the group was asked to stop; it takes no more work. */
  retiring = false;

  constructor(entry: string, config: GroupConfig, onSettled: () => void) {
    this.#onSettled = onSettled;
    this.#child = fork(entry, [], {
      serialization: "advanced",
      execArgv: childExecArgv(),
      env: { ...process.env, [WORKER_POOL_ENV]: "true", [GROUP_CONFIG_ENV]: JSON.stringify(config) },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.#child.on("message", (message: FromGroup) => {
      if (message.type !== "outcomes") return;
      for (const { id, outcome } of message.reports) this.#resolve(id, outcome);
    });
    this.#exitPromise = new Promise((resolve) => {
      this.#child.once("exit", (code, signal) => {
        this.#exited = true;
        const reason = poolWireError(
          "WorkerCrashedError",
          `The process group (pid ${this.#child.pid}) running this task exited (${signal ?? `code ${code}`}) before it finished.`,
        );
        for (const id of [...this.#inFlight.keys()]) this.#resolve(id, { ok: false, error: reason });
        resolve();
      });
    });
    // A failed fork reports through 'error' and then 'exit'; the exit handler settles the work.
    this.#child.on("error", () => {});
  }

  /** Process id of the group. */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Assignments running (or queued for a thread) in this group. */
  get load(): number {
    return this.#inFlight.size;
  }

  /** Whether the group process has exited. */
  get exited(): boolean {
    return this.#exited;
  }

  /** Whether this group runs assignment `id`. */
  has(id: number): boolean {
    return this.#inFlight.has(id);
  }

  /** Send `assignment` to the group (batched per tick); resolves with its outcome. */
  run(assignment: Assignment): Promise<WireOutcome> {
    return new Promise((resolve) => {
      this.#inFlight.set(assignment.id, resolve);
      if (this.#exited) {
        this.#resolve(assignment.id, {
          ok: false,
          error: poolWireError("WorkerCrashedError", "The process group exited before the task could start."),
        });
        return;
      }
      this.#outbox.push(assignment);
      if (this.#outbox.length === 1) setImmediate(() => this.#flush());
    });
  }

  /** Stop assignment `id` (its thread is terminated); it resolves with `reason`. */
  cancel(id: number, reason: WireError): void {
    const queued = this.#outbox.findIndex((assignment) => assignment.id === id);
    if (queued >= 0) {
      this.#outbox.splice(queued, 1);
      this.#resolve(id, { ok: false, error: reason });
      return;
    }
    this.#send({ type: "cancel", id, reason });
  }

  /** Stop the group: running tasks resolve with `reason`; killed if it does not exit in time. */
  async stop(reason: WireError): Promise<void> {
    this.retiring = true;
    for (const assignment of this.#outbox.splice(0)) this.#resolve(assignment.id, { ok: false, error: reason });
    if (this.#exited) return;
    this.#send({ type: "stop", reason });
    const timer = setTimeout(() => this.kill(), GROUP_STOP_GRACE_MS);
    await this.#exitPromise;
    clearTimeout(timer);
  }

  /** SIGKILL the group now. */
  kill(): void {
    if (!this.#exited) this.#child.kill("SIGKILL");
  }

  #flush(): void {
    if (this.#outbox.length === 0) return;
    const assignments = this.#outbox;
    this.#outbox = [];
    this.#send({ type: "run", assignments });
  }

  #send(message: ToGroup): void {
    if (this.#exited || !this.#child.connected) return;
    this.#child.send(message);
  }

  #resolve(id: number, outcome: WireOutcome): void {
    const resolve = this.#inFlight.get(id);
    if (!resolve) return;
    this.#inFlight.delete(id);
    if (this.#inFlight.size === 0) this.idleSince = Date.now();
    resolve(outcome);
    this.#onSettled();
  }
}
