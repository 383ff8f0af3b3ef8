import {
  DETACHED_EXECUTOR_CONTEXT,
  poolWireError,
  PREFETCH_HORIZON_MS,
  type Assignment,
  type OutcomeReport,
  type PoolExecutor,
  type PoolExecutorContext,
  type WireError,
} from "@alsek/worker";
import { MAX_STANDBYS } from "./max-standbys.js";
import { TaskDurations } from "./task-durations.js";
import { WarmProcess, type FinishedTask } from "./warm-process.js";

/** Settings of a {@link ProcessExecutor}. */
export interface ProcessExecutorOptions {
  nProcesses: number;
  pruneInterval: number;
  killGraceMs: number;
  /** How long a stopped task gets to end on its own after its signal aborted, in ms. */
  abortGraceMs: number;
  maxTasksPerProcess: number | null;
  maxMemoryMb: number | null;
  /** Path of the compiled child entry. */
  entry: string;
}

/**
 * Runs each assignment in a dedicated warm process. Up to `nProcesses` processes are kept warm
 * and reused; one that timed out, crashed or was revoked is replaced, and one that ran
 * `maxTasksPerProcess` tasks or grew past `maxMemoryMb` is recycled after its task. Assignments
 * beyond the free processes (the pool's prefetch) wait here, in order, for the next idle one.
 *
 * When every process is busy, waiting assignments may be sent ahead to processes as standbys,
 * queued behind the running task, which the process starts one after the other as its tasks end,
 * without a round trip to this pool. Only behind short tasks: the running task and every standby
 * ahead must be of names that ran for at most {@link PREFETCH_HORIZON_MS} on average
 * ({@link TaskDurations}), together about that long at most, the running one has run no longer
 * than that yet, and none of them is the process's last (`maxTasksPerProcess`); at most
 * {@link MAX_STANDBYS} per process. A process that turns idle while standbys wait behind a task
 * running past the horizon takes them back (see {@link WarmProcess}).
 */
export class ProcessExecutor implements PoolExecutor {
  readonly #options: ProcessExecutorOptions;
  readonly #processes = new Set<WarmProcess>();
  #pruner: NodeJS.Timeout | null = null;
  #closed = false;
  /** The pool's callbacks (and module URLs), from `start`. */
  #context: PoolExecutorContext = DETACHED_EXECUTOR_CONTEXT;
  /** Set once a process could not start: no more are started (they would fail the same way). */
  #startFailed = false;
  #outbox: OutcomeReport[] = [];
  /** Assignments waiting for an idle process, in arrival order. */
  #waiting: Assignment[] = [];
  /** Set once queued work is being handed back (`dropQueued`, shutdown): standbys that come back unstarted are reported with it. */
  #dropReason: WireError | null = null;
  readonly #durations = new TaskDurations();

  constructor(options: ProcessExecutorOptions) {
    this.#options = options;
  }

  get capacity(): number {
    return this.#options.nProcesses;
  }

  get load(): number {
    let load = this.#waiting.length;
    for (const process of this.#processes) {
      if (process.running) load++;
      load += process.standbyCount;
    }
    return load;
  }

  async start(context: PoolExecutorContext): Promise<void> {
    this.#closed = false;
    this.#context = context;
    this.#startFailed = false;
    this.#dropReason = null;
    this.#topUp();
    this.#pruner = setInterval(() => this.#prune(), this.#options.pruneInterval);
    this.#pruner.unref();
  }

  execute(assignments: readonly Assignment[]): void {
    for (const assignment of assignments) this.#waiting.push(assignment);
    this.#startWaiting();
  }

  dropQueued(reason: WireError): void {
    this.#dropReason ??= reason;
    this.#dropWaiting(reason);
    for (const process of this.#processes) process.recallStandbys();
  }

  /**
   * Hand waiting assignments to idle processes (starting processes up to `nProcesses`), then
   * the rest ahead to busy ones as standbys; with nothing waiting, take standbys back for idle
   * processes.
   */
  #startWaiting(): void {
    if (this.#closed || this.#startFailed) return;
    this.#runWaiting();
    if (this.#waiting.length > 0) this.#standByWaiting();
    else this.#recallStandbys();
  }

  #runWaiting(): void {
    while (this.#waiting.length > 0) {
      let process: WarmProcess | undefined;
      let live = 0;
      for (const candidate of this.#processes) {
        if (!candidate.retiring) live++;
        if (candidate.idle) {
          process = candidate;
          break;
        }
      }
      if (!process && live >= this.#options.nProcesses) return;
      const assignment = this.#waiting.shift()!;
      (process ?? this.#spawn()).run(assignment);
      if (assignment.notifyStart) this.#context.started([assignment.id]);
    }
  }

  /**
   * Send waiting assignments, in order, ahead to busy processes that may queue a standby: one per
   * process and round, so the queues fill evenly.
   */
  #standByWaiting(): void {
    if (this.#dropReason !== null) return;
    const now = Date.now();
    let queued = true;
    while (queued) {
      queued = false;
      for (const process of this.#processes) {
        const next = this.#waiting[0];
        if (next === undefined) return;
        if (!this.#mayStandBy(process, next, now)) continue;
        this.#waiting.shift();
        process.standBy(next);
        queued = true;
      }
    }
  }

  /**
   * The standby rule: `process` may queue `assignment` if it can ({@link WarmProcess.acceptsStandby}),
   * holds fewer than {@link MAX_STANDBYS}, its running task has not run past
   * {@link PREFETCH_HORIZON_MS} yet, the running task and the standbys ahead are all short
   * ({@link TaskDurations.isShort}) and together estimated within that horizon, and the last of
   * them is not the process's last task before recycling.
   */
  #mayStandBy(process: WarmProcess, assignment: Assignment, now: number): boolean {
    const running = process.running;
    const startedAt = process.startedAt;
    if (running === null || startedAt === null || !process.acceptsStandby(assignment)) return false;
    const ahead = process.standbys;
    if (ahead.length >= MAX_STANDBYS || now - startedAt > PREFETCH_HORIZON_MS) return false;
    let waitMs = 0;
    for (const { taskName } of [running, ...ahead]) {
      if (!this.#durations.isShort(taskName)) return false;
      waitMs += this.#durations.estimateMs(taskName) ?? PREFETCH_HORIZON_MS;
    }
    if (waitMs > PREFETCH_HORIZON_MS) return false;
    const { maxTasksPerProcess } = this.#options;
    // Tasks this process will have run once `assignment` starts: done, running, queued ahead.
    return maxTasksPerProcess === null || process.tasksRun + 1 + ahead.length < maxTasksPerProcess;
  }

  /** While a process is idle, take back the standbys waiting behind tasks that ran past the horizon. */
  #recallStandbys(): void {
    let anyIdle = false;
    for (const process of this.#processes) if (process.idle) anyIdle = true;
    if (!anyIdle) return;
    const now = Date.now();
    for (const process of this.#processes) {
      if (process.standbyCount === 0) continue;
      const startedAt = process.startedAt;
      if (startedAt === null || now - startedAt > PREFETCH_HORIZON_MS) process.recallStandbys();
    }
  }

  /** Standbys came back unstarted: they run next, in order (they were first in line), or are reported when queued work is being handed back. */
  #onReturned(assignments: readonly Assignment[]): void {
    const dropReason = this.#dropReason;
    if (dropReason !== null) {
      for (const { id } of assignments) this.#queueReport({ id, outcome: { ok: false, error: dropReason } });
      return;
    }
    this.#waiting.unshift(...assignments);
    this.#startWaiting();
  }

  /** Report the waiting assignments matching `which` with `reason`, without running them. */
  #dropWaiting(reason: WireError, which: (assignment: Assignment) => boolean = () => true): void {
    const dropped = this.#waiting.filter(which);
    if (dropped.length === 0) return;
    this.#waiting = this.#waiting.filter((assignment) => !which(assignment));
    for (const { id } of dropped) this.#queueReport({ id, outcome: { ok: false, error: reason } });
  }

  #onOutcome(process: WarmProcess, report: OutcomeReport, finished: FinishedTask | null): void {
    if (finished) this.#durations.record(finished.taskName, finished.durationMs);
    // A standby that started as the reported task ended is running now: it left the queue.
    const next = process.running;
    if (next?.notifyStart) this.#context.started([next.id]);
    if (!process.retiring && this.#dueForRecycling(process)) {
      process.retire();
      // One still running (a standby that started anyway) counts until it exits.
      if (process.running === null) this.#processes.delete(process);
      this.#topUp();
    }
    this.#startWaiting();
    this.#queueReport(report);
  }

  /** Outcomes that arrive together (one read of the IPC channels) are settled together. */
  #queueReport(report: OutcomeReport): void {
    this.#outbox.push(report);
    if (this.#outbox.length === 1) {
      queueMicrotask(() => {
        const reports = this.#outbox;
        this.#outbox = [];
        this.#context.report(reports);
      });
    }
  }

  cancel(id: number, reason: WireError): void {
    this.#dropWaiting(reason, (assignment) => assignment.id === id);
    for (const process of this.#processes) {
      if (process.running?.id === id) process.cancel(reason);
      else if (process.holdsStandby(id)) process.cancelStandby(id, reason);
    }
  }

  async shutdown(reason: WireError): Promise<void> {
    this.#dropReason ??= reason;
    this.#dropWaiting(reason);
    this.#closed = true;
    if (this.#pruner) clearInterval(this.#pruner);
    const processes = [...this.#processes];
    this.#processes.clear();
    await Promise.all(
      processes.map(
        (process) =>
          new Promise<void>((resolve) => {
            if (process.exited) return resolve();
            const check = setInterval(() => {
              if (process.exited) {
                clearInterval(check);
                resolve();
              }
            }, 10);
            process.cancel(reason, true);
            setTimeout(() => process.kill(), this.#options.abortGraceMs + this.#options.killGraceMs * 2).unref();
          }),
      ),
    );
  }

  killNow(): void {
    for (const process of this.#processes) process.kill();
  }

  #dueForRecycling(process: WarmProcess): boolean {
    const { maxTasksPerProcess, maxMemoryMb } = this.#options;
    if (maxTasksPerProcess !== null && process.tasksRun >= maxTasksPerProcess) return true;
    return maxMemoryMb !== null && process.rssBytes > maxMemoryMb * 1024 * 1024;
  }

  #spawn(): WarmProcess {
    const process = new WarmProcess(
      this.#options.entry,
      this.#options.killGraceMs,
      this.#options.abortGraceMs,
      this.#options.maxMemoryMb === null ? null : this.#options.maxMemoryMb * 1024 * 1024,
      this.#context.moduleUrls,
      (from, report, finished) => this.#onOutcome(from, report, finished),
      (exited) => {
        this.#processes.delete(exited);
        this.#topUp();
        this.#startWaiting();
      },
      (error) => {
        this.#startFailed = true;
        this.#context.failed(error);
      },
      (report) => this.#context.progress(report),
      (assignments) => this.#onReturned(assignments),
    );
    this.#processes.add(process);
    return process;
  }

  /** Keep `nProcesses` processes warm, so the next task does not wait for Node to start. */
  #topUp(): void {
    if (this.#closed || this.#startFailed) return;
    let live = 0;
    for (const process of this.#processes) if (!process.retiring) live++;
    while (live < this.#options.nProcesses && this.#processes.size < this.#options.nProcesses) {
      this.#spawn();
      live++;
    }
  }

  #prune(): void {
    this.#recallStandbys();
    const now = Date.now();
    for (const process of this.#processes) {
      const running = process.running;
      const startedAt = process.startedAt;
      // A retiring process may still run a task (a standby that started): it is timed out too.
      if (!running || startedAt === null) continue;
      if (now - startedAt > running.timeoutMs) {
        process.cancel(
          poolWireError(
            "TaskTimeoutError",
            `Task '${running.taskName}' exceeded its timeout of ${running.timeoutMs} ms; its signal was aborted ` +
              `(its process is stopped if it still runs after ${this.#options.abortGraceMs} ms).`,
          ),
        );
      }
    }
  }
}
