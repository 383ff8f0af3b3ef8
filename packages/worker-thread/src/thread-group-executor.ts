import {
  DETACHED_EXECUTOR_CONTEXT,
  NOT_STARTED_ERROR,
  poolWireError,
  type Assignment,
  type OutcomeReport,
  type PoolExecutor,
  type PoolExecutorContext,
  type ProgressReport,
  type WireError,
} from "@alsek/worker";
import type { GroupHandle } from "./thread-group-handle.js";
import type { GroupConfig } from "./child/protocol.js";
import { InProcessGroup } from "./in-process-thread-group.js";
import { ProcessGroup } from "./child-process-thread-group.js";

/** Settings of a {@link GroupExecutor}. */
export interface GroupExecutorOptions extends Omit<GroupConfig, "moduleUrls"> {
  nProcesses: number;
  nProcessFloor: number;
  groupIdleTimeout: number;
  /** Path of the compiled group entry (a process group's child). */
  entry: string;
  /** Path of the compiled thread entry (an in-process group's threads). */
  threadEntry: string;
  /** Run the (single) group in this process instead of a child process. */
  inProcess: boolean;
  /** Called whenever the number of groups changes. */
  onScale(groups: number): void;
}

/**
 * Runs assignments on elastic process groups: a group starts when an assignment finds no free
 * thread, and a group idle for `groupIdleTimeout` retires (down to `nProcessFloor`). Assignments
 * fill the busiest group that has a free thread slot, so quiet groups empty out and can retire;
 * once every group is full (and no more may start), the surplus (the pool's prefetch) queues in
 * the group with the shortest queue, which starts it as soon as one of its slots frees.
 */
export class GroupExecutor implements PoolExecutor {
  readonly #options: GroupExecutorOptions;
  readonly #groups: GroupHandle[] = [];
  #sweeper: NodeJS.Timeout | null = null;
  #closed = false;
  /** The pool's callbacks (and module URLs), from `start`. */
  #context: PoolExecutorContext = DETACHED_EXECUTOR_CONTEXT;
  /** Set once a group could not start: no more are started (they would fail the same way). */
  #startFailed = false;

  constructor(options: GroupExecutorOptions) {
    this.#options = options;
  }

  get capacity(): number {
    return this.#options.nThreads * this.#options.nProcesses;
  }

  get load(): number {
    let load = 0;
    for (const group of this.#groups) load += group.load;
    return load;
  }

  /** Process groups currently running. */
  get groupCount(): number {
    return this.#groups.length;
  }

  async start(context: PoolExecutorContext): Promise<void> {
    this.#closed = false;
    this.#context = context;
    this.#startFailed = false;
    this.#topUpFloor();
    const every = Math.max(10, Math.min(1_000, this.#options.groupIdleTimeout / 2));
    this.#sweeper = setInterval(() => this.#sweep(), every);
    this.#sweeper.unref();
  }

  execute(assignments: readonly Assignment[]): void {
    // Fill the busiest group with room, one IPC message per group.
    let index = 0;
    while (index < assignments.length) {
      let group: GroupHandle;
      try {
        group = this.#pickGroup();
      } catch (error) {
        // No group to run the rest: they go back as not started, and the pool stops.
        const reason = poolWireError(NOT_STARTED_ERROR, "The pool's workers could not start; the task was handed back to its queue.");
        this.#context.report(assignments.slice(index).map(({ id }) => ({ id, outcome: { ok: false, error: reason } })));
        this.#onStartFailure(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      const room = group.load < this.#options.nThreads ? this.#options.nThreads - group.load : assignments.length - index;
      group.run(assignments.slice(index, index + room));
      index += room;
    }
  }

  dropQueued(reason: WireError): void {
    for (const group of this.#groups) group.dropQueued(reason);
  }

  cancel(id: number, reason: WireError): void {
    this.#groups.find((group) => group.has(id))?.cancel(id, reason);
  }

  async shutdown(reason: WireError): Promise<void> {
    this.#closed = true;
    if (this.#sweeper) clearInterval(this.#sweeper);
    const groups = this.#groups.splice(0);
    this.#options.onScale(0);
    await Promise.all(groups.map((group) => group.stop(reason)));
  }

  killNow(): void {
    for (const group of this.#groups) group.kill();
  }

  /** The busiest group with a free slot; else a new group if one may start; else the least loaded. */
  #pickGroup(): GroupHandle {
    const { nThreads, nProcesses } = this.#options;
    let best: GroupHandle | null = null;
    let leastLoaded: GroupHandle | null = null;
    for (const group of this.#groups) {
      if (group.retiring || group.exited) continue;
      if (!leastLoaded || group.load < leastLoaded.load) leastLoaded = group;
      if (group.load >= nThreads) continue;
      if (!best || group.load > best.load) best = group;
    }
    if (best) return best;
    if (this.#groups.length >= nProcesses) this.#removeDead();
    if (this.#groups.length < nProcesses || !leastLoaded) return this.#spawn();
    return leastLoaded;
  }

  #onStartFailure(error: Error): void {
    if (this.#startFailed) return;
    this.#startFailed = true;
    this.#context.failed(error);
  }

  #spawn(): GroupHandle {
    if (this.#startFailed) throw new Error("an earlier process group could not start");
    const { nThreads, completeOnlyOnThreadExit, isolateTasks, abortGraceMs, entry, threadEntry, inProcess } = this.#options;
    const config: GroupConfig = { nThreads, completeOnlyOnThreadExit, isolateTasks, abortGraceMs, moduleUrls: this.#context.moduleUrls };
    const sink = {
      report: (reports: readonly OutcomeReport[]) => this.#context.report(reports),
      started: (ids: readonly number[]) => this.#context.started(ids),
      progress: (report: ProgressReport) => this.#context.progress(report),
      failed: (error: Error) => this.#onStartFailure(error),
    };
    const group = inProcess ? new InProcessGroup(threadEntry, config, sink) : new ProcessGroup(entry, config, sink);
    this.#groups.push(group);
    this.#options.onScale(this.#groups.length);
    return group;
  }

  #removeDead(): void {
    for (let index = this.#groups.length - 1; index >= 0; index--) {
      if (this.#groups[index]!.exited) this.#groups.splice(index, 1);
    }
    this.#options.onScale(this.#groups.length);
  }

  #topUpFloor(): void {
    while (!this.#closed && !this.#startFailed && this.#groups.length < this.#options.nProcessFloor) this.#spawn();
  }

  #sweep(): void {
    if (this.#closed) return;
    const before = this.#groups.length;
    for (let index = this.#groups.length - 1; index >= 0; index--) {
      if (this.#groups[index]!.exited) this.#groups.splice(index, 1);
    }
    const now = Date.now();
    for (let index = this.#groups.length - 1; index >= 0; index--) {
      const group = this.#groups[index]!;
      if (this.#groups.length <= this.#options.nProcessFloor) break;
      if (group.load === 0 && now - group.idleSince >= this.#options.groupIdleTimeout) {
        this.#groups.splice(index, 1);
        void group.stop({ name: "TerminationError", message: "Idle process group retired.", stack: null, props: null });
      }
    }
    if (this.#groups.length !== before) this.#options.onScale(this.#groups.length);
    this.#topUpFloor();
  }
}
