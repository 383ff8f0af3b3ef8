import { fork, type ChildProcess } from "node:child_process";
import {
  childExecArgv,
  poolWireError,
  WORKER_POOL_ENV,
  type Assignment,
  type WireError,
} from "@alsek/worker";
import { GroupHandle, type GroupSink } from "./thread-group-handle.js";
import { GROUP_CONFIG_ENV, type FromGroup, type GroupConfig, type ToGroup } from "./child/protocol.js";

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

/** Whether the user sized V8's nursery in the pool's Node flags (then every thread keeps V8's sizing). */
export function userSizedNursery(execArgv: readonly string[] = childExecArgv()): boolean {
  return execArgv.some((flag) => SEMI_SPACE_FLAG.test(flag));
}

/**
 * A thread group in a child process (a "process group"): up to `nThreads` tasks run on its
 * worker threads, any more it is given queue there until a slot frees. Assignments go out in one
 * IPC message per batch; outcomes come back batched.
 */
export class ProcessGroup extends GroupHandle {
  readonly #child: ChildProcess;
  #exited = false;
  /** The group said it runs: an exit before that is a failure to start. */
  #ready = false;
  /** The pool asked it to stop (or killed it). */
  #dismissed = false;
  #spawnError: Error | null = null;
  #exitPromise: Promise<void>;
  readonly #abortGraceMs: number;

  constructor(entry: string, config: GroupConfig, sink: GroupSink) {
    super(sink);
    this.#abortGraceMs = config.abortGraceMs;
    // A user who sized the nursery in the pool's Node flags keeps that size everywhere.
    const execArgv = childExecArgv();
    const userNursery = userSizedNursery(execArgv);
    const groupConfig: GroupConfig = userNursery ? config : { ...config, threadYoungGenerationMb: THREAD_YOUNG_GENERATION_MB };
    this.#child = fork(entry, [], {
      serialization: "advanced",
      execArgv: userNursery ? execArgv : [...execArgv, `--max-semi-space-size=${GROUP_SEMI_SPACE_MB}`],
      env: { ...process.env, [WORKER_POOL_ENV]: "true", [GROUP_CONFIG_ENV]: JSON.stringify(groupConfig) },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.#child.on("message", (message: FromGroup) => {
      if (message.type === "ready") {
        this.#ready = true;
        return;
      }
      if (message.type === "progress") {
        this.progress({ id: message.id, value: message.value });
        return;
      }
      if (message.type === "thread-start-failed") {
        this.startFailed(new Error(message.message));
        return;
      }
      this.started(message.started);
      this.settled(message.reports);
    });
    this.#exitPromise = new Promise((resolve) => {
      const gone = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (this.#exited) return;
        this.#exited = true;
        if (!this.#ready && !this.#dismissed) {
          const how = this.#spawnError?.message ?? `exited (${signal ?? `code ${code}`})`;
          this.failToStart(new Error(`a process group (${this.#child.spawnargs.join(" ")}) ${how} before it was ready`));
        } else {
          this.failInFlight(
            poolWireError(
              "WorkerCrashedError",
              `The process group (pid ${this.#child.pid}) running this task exited (${signal ?? `code ${code}`}) before it finished.`,
            ),
          );
        }
        resolve();
      };
      this.#child.once("exit", gone);
      // A fork that could not spawn (no Node binary, no resources) reports 'error' and never 'exit'.
      this.#child.on("error", (error) => {
        this.#spawnError ??= error;
        if (this.#child.pid === undefined) gone(null, null);
      });
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get exited(): boolean {
    return this.#exited;
  }

  dropQueued(reason: WireError): void {
    this.#send({ type: "drop-queued", reason });
  }

  cancel(id: number, reason: WireError): void {
    this.#send({ type: "cancel", id, reason });
  }

  /**
   * Stop the group; it is killed if it does not exit within {@link GROUP_STOP_GRACE_MS} past the
   * abort grace its running tasks get.
   */
  async stop(reason: WireError): Promise<void> {
    this.retiring = true;
    this.#dismissed = true;
    if (this.#exited) return;
    this.#send({ type: "stop", reason });
    const timer = setTimeout(() => this.kill(), this.#abortGraceMs + GROUP_STOP_GRACE_MS);
    await this.#exitPromise;
    clearTimeout(timer);
  }

  /** SIGKILL the group now. */
  kill(): void {
    this.#dismissed = true;
    if (!this.#exited) this.#child.kill("SIGKILL");
  }

  protected send(assignments: Assignment[]): void {
    this.#send({ type: "run", assignments });
  }

  #send(message: ToGroup): void {
    if (this.#exited || !this.#child.connected) return;
    this.#child.send(message);
  }
}
