// One thread group: runs up to nThreads tasks at once on as few worker threads as keep up, queues
// the rest (the pool's prefetch), sends them ahead as standbys to threads that keep finishing
// tasks (each starts in the slot of a task that ends, see ThreadHost.acceptsStandby) or starts
// them as slots free, enforces timeouts, and hands outcomes (and the starts the pool asked about)
// to its output, batched per tick. It runs in a
// child process (child/child-entry.ts) or in the pool's own process (InProcessGroup).
import { availableParallelism } from "node:os";
import { performance } from "node:perf_hooks";
import type { Assignment, OutcomeReport, ProgressReport, WireError } from "@alsek/worker";
import type { GroupConfig } from "../child/protocol.js";
import { ThreadHost, type ThreadHostEvents, type ThreadOptions } from "./thread-host.js";

/** How often timeouts are enforced and thread load is judged, in ms (one timer per group). */
const SAMPLE_EVERY_MS = 25;
/** An extra thread (not the group's last) that has run nothing for this long retires, in ms. */
const THREAD_IDLE_MS = 2_000;
/**
 * Threads a group starts for throughput alone (when its threads are busy finishing many short
 * tasks, none blocked): one per CPU beyond the one the pool's (or group's) own thread needs. A
 * thread blocked by a long task always gets company, up to `nThreads`.
 */
const THROUGHPUT_THREADS = Math.max(1, availableParallelism() - 1);

/** Where a group's batches go: ids of started assignments (`notifyStart`), then outcomes. */
export type ThreadGroupOutput = (started: number[], reports: OutcomeReport[]) => void;

/** The threads of one group and the queue in front of them. */
export class ThreadGroup {
  readonly #config: GroupConfig;
  readonly #threadEntry: string;
  readonly #threadOptions: ThreadOptions;
  readonly #output: ThreadGroupOutput;
  /** Tasks one thread runs at once: one when isolated (or when its exit completes it), else any. */
  readonly #perThread: number;
  /** Live threads (a terminated one leaves this list at once, before it has exited). */
  readonly #hosts: ThreadHost[] = [];
  /** Every thread not yet exited, including those being terminated. */
  readonly #alive = new Set<ThreadHost>();
  readonly #events: ThreadHostEvents;
  readonly #sampler: NodeJS.Timeout;
  /** Assignments waiting for a free slot, in arrival order (reruns go first). */
  #waiting: Assignment[] = [];
  #outbox: OutcomeReport[] = [];
  /** Ids of started assignments that asked for it (`notifyStart`), sent with the next outcomes. */
  #startedOut: number[] = [];
  #flushScheduled = false;
  #startScheduled = false;
  #stopping = false;
  /** The reason `stop` was called with: a standby sent back after it is reported with it. */
  #stopReason: WireError | null = null;
  /** A thread could not start: no more are started (they would fail the same way). */
  #startFailed = false;
  readonly #failed: (error: Error) => void;
  readonly #progress: (report: ProgressReport) => void;

  /**
   * Starts the group's first thread at once (it imports the task modules before any task arrives).
   * `threadEntry`: path of the compiled thread entry; `threadOptions`: what its threads get
   * beyond the config (environment and Node flags when not inherited); `failed`: a thread could
   * not start (its tasks were reported as not started first); `progress`: a running task's
   * progress report, passed on at once.
   */
  constructor(
    config: GroupConfig,
    threadEntry: string,
    output: ThreadGroupOutput,
    threadOptions: ThreadOptions = {},
    failed: (error: Error) => void = () => {},
    progress: (report: ProgressReport) => void = () => {},
  ) {
    this.#config = config;
    this.#progress = progress;
    this.#failed = failed;
    this.#threadEntry = threadEntry;
    this.#threadOptions = threadOptions;
    this.#output = output;
    this.#perThread = config.isolateTasks || config.completeOnlyOnThreadExit ? 1 : Number.POSITIVE_INFINITY;
    this.#events = {
      report: (reports) => {
        for (const report of reports) this.#outbox.push(report);
        // Threads that still run other tasks get their next ones together, once per tick (one
        // postMessage for the outcomes of several threads); an idle group starts them at once.
        if (this.#busy()) this.#scheduleStart();
        else this.#startWaiting();
        // Nothing else running here: no other outcome can join this batch, so send it now rather
        // than a tick later (that tick is on every message's critical path at low concurrency).
        if (!this.#busy()) {
          this.#flush();
          return;
        }
        this.#scheduleFlush();
      },
      progress: (report) => this.#progress(report),
      rerun: (assignments) => {
        if (this.#stopping) return;
        this.#waiting = [...assignments, ...this.#waiting];
        this.#startWaiting();
      },
      promoted: (assignments) => {
        for (const assignment of assignments) if (assignment.notifyStart) this.#startedOut.push(assignment.id);
        // Usually sent with the outcomes of the same batch; a batch that only answers a `start` has none.
        if (this.#startedOut.length > 0) this.#scheduleFlush();
      },
      // Taken back from a thread blocked by a long task: first in line again (a stopping group
      // has its hosts report them instead).
      returned: (assignments) => {
        if (this.#stopReason) {
          this.#events.report(assignments.map(({ id }) => ({ id, outcome: { ok: false, error: this.#stopReason! } })));
          return;
        }
        this.#waiting = [...assignments, ...this.#waiting];
        this.#startWaiting();
      },
      exited: (host) => {
        this.#alive.delete(host);
        this.#forget(host);
      },
      startFailed: (error) => {
        if (this.#startFailed) return;
        this.#startFailed = true;
        this.#flush();
        this.#failed(error);
      },
    };
    this.#sampler = setInterval(() => this.#sample(), SAMPLE_EVERY_MS);
    this.#sampler.unref();
    this.#spawn();
  }

  /** Queue `assignments` and start those that fit. */
  run(assignments: readonly Assignment[]): void {
    for (const assignment of assignments) this.#waiting.push(assignment);
    this.#startWaiting();
  }

  /** Stop assignment `id`: dropped if still queued, else aborted, then its thread terminated past the abort grace. */
  cancel(id: number, reason: WireError): void {
    this.#dropWaiting(reason, (assignment) => assignment.id === id);
    for (const host of this.#alive) if (host.has(id)) host.cancel(id, reason);
  }

  /** Report every queued assignment with `reason`, without running it (standbys once their threads send them back). */
  dropQueued(reason: WireError): void {
    this.#dropWaiting(reason);
    for (const host of this.#alive) host.returnStandbys(reason);
  }

  /** Stop every thread; resolves once all have exited and every outcome was handed over. */
  stop(reason: WireError): Promise<void> {
    this.#dropWaiting(reason);
    this.#stopping = true;
    this.#stopReason = reason;
    clearInterval(this.#sampler);
    this.#hosts.length = 0;
    for (const host of this.#alive) host.stop(reason);
    // Done once every thread has reported (stopped threads report on exit).
    return new Promise((resolve) => {
      const waitForThreads = (): void => {
        if (this.#alive.size === 0) {
          this.#flush();
          resolve();
        } else setTimeout(waitForThreads, 10);
      };
      waitForThreads();
    });
  }

  #scheduleStart(): void {
    if (this.#startScheduled) return;
    this.#startScheduled = true;
    setImmediate(() => {
      this.#startScheduled = false;
      this.#startWaiting();
    });
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#flushScheduled = false;
    if (this.#outbox.length === 0 && this.#startedOut.length === 0) return;
    const reports = this.#outbox;
    const started = this.#startedOut;
    this.#outbox = [];
    this.#startedOut = [];
    this.#output(started, reports);
  }

  /** Whether any thread still runs a task. */
  #busy(): boolean {
    for (const host of this.#alive) if (host.load > 0) return true;
    return false;
  }

  /** Tasks running on the group's threads (those of threads being stopped included, until they exit). */
  #runningCount(): number {
    let count = 0;
    for (const host of this.#alive) count += host.load;
    return count;
  }

  #forget(host: ThreadHost): void {
    const index = this.#hosts.indexOf(host);
    if (index >= 0) this.#hosts.splice(index, 1);
  }

  #spawn(): ThreadHost {
    const config = this.#config;
    const host = new ThreadHost(this.#threadEntry, config.completeOnlyOnThreadExit, config.moduleUrls, this.#events, {
      ...this.#threadOptions,
      ...(config.threadYoungGenerationMb === undefined ? {} : { youngGenerationMb: config.threadYoungGenerationMb }),
      abortGraceMs: config.abortGraceMs,
    });
    this.#hosts.push(host);
    this.#alive.add(host);
    return host;
  }

  /**
   * The thread for the next task: the least-loaded thread that keeps up; a new thread when every
   * thread is busy (or full, when isolated) and there is room for one; else the least-loaded.
   * Threads busy only because they finish many short tasks get company up to
   * {@link THROUGHPUT_THREADS}: past the CPU count another isolate costs memory and CPU and adds
   * no throughput (measured: a no-op drain at concurrency 50 ran as fast on one thread as on two).
   */
  #pick(): ThreadHost {
    let best: ThreadHost | null = null;
    let fallback: ThreadHost | null = null;
    let live = 0;
    let blocked = false;
    const now = performance.now();
    for (const host of this.#hosts) {
      if (!host.accepting) continue;
      live++;
      if (host.load >= this.#perThread) continue;
      if (!fallback || host.load < fallback.load) fallback = host;
      if (this.#perThread !== 1 && host.isBusy(now)) {
        if (!host.isProgressing(now)) blocked = true;
        continue;
      }
      if (!best || host.load < best.load) best = host;
    }
    if (best) return best;
    if (!fallback) return this.#spawn();
    const room = blocked || this.#perThread === 1 ? this.#config.nThreads : Math.min(this.#config.nThreads, THROUGHPUT_THREADS);
    return live < room ? this.#spawn() : fallback;
  }

  /**
   * Start waiting assignments while slots are free, and send the rest ahead as standbys to threads
   * that keep finishing tasks; one message per touched thread.
   */
  #startWaiting(): void {
    if (this.#stopping || this.#startFailed || this.#waiting.length === 0) return;
    const touched = new Set<ThreadHost>();
    const free = this.#config.nThreads - this.#runningCount();
    if (free > 0) {
      const waiting = this.#waiting;
      const starting = waiting.length <= free ? waiting : waiting.slice(0, free);
      this.#waiting = waiting.length <= free ? [] : waiting.slice(free);
      for (const assignment of starting) {
        const host = this.#pick();
        host.add(assignment);
        touched.add(host);
        if (assignment.notifyStart) this.#startedOut.push(assignment.id);
      }
    }
    if (this.#waiting.length > 0) this.#standBy(touched);
    for (const host of touched) host.flush();
    if (this.#startedOut.length > 0) this.#scheduleFlush();
  }

  /**
   * Send waiting assignments, in order, ahead to the threads that take standbys
   * ({@link ThreadHost.acceptsStandby}): each starts the moment a task of its thread ends, with no
   * round trip through this group in between. Only while every slot is taken.
   */
  #standBy(touched: Set<ThreadHost>): void {
    const now = performance.now();
    let taken = 0;
    for (const host of this.#hosts) {
      while (taken < this.#waiting.length && host.acceptsStandby(this.#waiting[taken]!, now)) {
        host.addStandby(this.#waiting[taken]!);
        touched.add(host);
        taken++;
      }
    }
    if (taken > 0) this.#waiting = this.#waiting.slice(taken);
  }

  /** Take the waiting assignments matching `which` out of the queue and report them with `reason`. */
  #dropWaiting(reason: WireError, which: (assignment: Assignment) => boolean = () => true): void {
    const dropped = this.#waiting.filter(which);
    if (dropped.length === 0) return;
    this.#waiting = this.#waiting.filter((assignment) => !which(assignment));
    this.#events.report(dropped.map(({ id }) => ({ id, outcome: { ok: false, error: reason } })));
  }

  #sample(): void {
    const now = performance.now();
    const hosts = this.#hosts;
    for (const host of hosts) host.sample(now);
    // Standbys behind a task that blocks its thread come back while a slot is free elsewhere.
    if (this.#runningCount() < this.#config.nThreads) {
      for (const host of hosts) if (host.standbysBehindLongTask(now)) host.returnStandbys();
    }
    // Threads being terminated take no work; they leave the count now, not when they have exited.
    for (const host of [...hosts]) if (!host.accepting) this.#forget(host);
    // Retire idle extra threads, keeping one warm.
    for (let index = hosts.length - 1; index >= 0 && hosts.length > 1; index--) {
      const host = hosts[index]!;
      if (host.load === 0 && now - host.idleSince >= THREAD_IDLE_MS) {
        hosts.splice(index, 1);
        host.stop({ name: "TerminationError", message: "Idle thread retired.", stack: null, props: null });
      }
    }
  }
}
