import { fork, type ChildProcess } from "node:child_process";
import {
  childExecArgv,
  poolWireError,
  WORKER_POOL_ENV,
  type Assignment,
  type OutcomeReport,
  type WireError,
} from "@alsek/core";
import { GROUP_CONFIG_ENV, type FromGroup, type GroupConfig, type ToGroup } from "./group/protocol.js";

/** How long a stopping group may take to report and exit before it is killed. */
export const GROUP_STOP_GRACE_MS = 5_000;

/**
 * Young-generation semi-space of the group's own thread, in MiB. That thread only relays small
 * messages between the pool and its worker threads (it loads no task code), so a small nursery
 * costs it nothing measurable, while V8's default lets it grow by tens of MiB during a drain.
 */
export const GROUP_SEMI_SPACE_MB = 1;

/**
 * Young generation of each worker thread, in MiB (V8's default is up to 3 × 16 MiB). Tasks packed
 * into a thread leave short-lived garbage that a smaller nursery collects as fast, without each
 * thread's RSS growing by tens of MiB during a drain.
 */
export const THREAD_YOUNG_GENERATION_MB = 4;

const SEMI_SPACE_FLAG = /^--(max|min)[-_]semi[-_]space[-_]size/;

/**
 * The main process's handle on one process group (a child process running up to `nThreads`
 * tasks on its worker threads, and queueing any more it is given until a slot frees). Assignments go out in one IPC message per batch; outcomes come
 * back batched and go straight to `report`.
 */
export class ProcessGroup {
  readonly #child: ChildProcess;
  readonly #inFlight = new Set<number>();
  readonly #report: (reports: readonly OutcomeReport[]) => void;
  readonly #started: (ids: readonly number[]) => void;
  #exited = false;
  #exitPromise: Promise<void>;
  /** Epoch ms since when the group has had nothing to run. */
  idleSince = Date.now();
  /** Set once the group was asked to stop; it takes no more work. */
  retiring = false;

  constructor(
    entry: string,
    config: GroupConfig,
    report: (reports: readonly OutcomeReport[]) => void,
    started: (ids: readonly number[]) => void,
  ) {
    this.#report = report;
    this.#started = started;
    // A user who sized the nursery in the pool's Node flags keeps that size everywhere.
    const execArgv = childExecArgv();
    const userNursery = execArgv.some((flag) => SEMI_SPACE_FLAG.test(flag));
    const groupConfig: GroupConfig = userNursery ? config : { ...config, threadYoungGenerationMb: THREAD_YOUNG_GENERATION_MB };
    this.#child = fork(entry, [], {
      serialization: "advanced",
      execArgv: userNursery ? execArgv : [...execArgv, `--max-semi-space-size=${GROUP_SEMI_SPACE_MB}`],
      env: { ...process.env, [WORKER_POOL_ENV]: "true", [GROUP_CONFIG_ENV]: JSON.stringify(groupConfig) },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.#child.on("message", (message: FromGroup) => {
      if (message.type !== "outcomes") return;
      if (message.started.length > 0) this.#started(message.started);
      this.#settled(message.reports);
    });
    this.#exitPromise = new Promise((resolve) => {
      this.#child.once("exit", (code, signal) => {
        this.#exited = true;
        const error = poolWireError(
          "WorkerCrashedError",
          `The process group (pid ${this.#child.pid}) running this task exited (${signal ?? `code ${code}`}) before it finished.`,
        );
        this.#settled([...this.#inFlight].map((id) => ({ id, outcome: { ok: false, error } })));
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

  /** Assignments running, queued or on their way in this group. */
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

  /** Send `assignments` to the group in one IPC message; their outcomes go to `report`. */
  run(assignments: Assignment[]): void {
    for (const assignment of assignments) this.#inFlight.add(assignment.id);
    if (this.#exited) {
      const error = poolWireError("WorkerCrashedError", "The process group exited before the task could start.");
      this.#settled(assignments.map(({ id }) => ({ id, outcome: { ok: false, error } })));
      return;
    }
    this.#send({ type: "run", assignments });
  }

  /** Report every assignment queued in the group (not started) with `reason`, without running it. */
  dropQueued(reason: WireError): void {
    this.#send({ type: "drop-queued", reason });
  }

  /** Stop assignment `id` (its thread is terminated, or it leaves the queue); it is reported with `reason`. */
  cancel(id: number, reason: WireError): void {
    this.#send({ type: "cancel", id, reason });
  }

  /** Stop the group: running tasks are reported with `reason`; killed if it does not exit in time. */
  async stop(reason: WireError): Promise<void> {
    this.retiring = true;
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

  #send(message: ToGroup): void {
    if (this.#exited || !this.#child.connected) return;
    this.#child.send(message);
  }

  #settled(reports: readonly OutcomeReport[]): void {
    let known: OutcomeReport[] | null = null;
    for (const report of reports) {
      if (this.#inFlight.delete(report.id)) (known ??= []).push(report);
    }
    if (!known) return;
    if (this.#inFlight.size === 0) this.idleSince = Date.now();
    this.#report(known);
  }
}
