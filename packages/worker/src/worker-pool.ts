import { EventEmitter } from "node:events";
import { abortableSleep } from "@alsek/core";
import type { Broker } from "@alsek/core";
import { Consumer, LeaseRenewer, MAX_SKIP_TASKS } from "@alsek/core";
import { isPermanentBackendError, WorkerStartError } from "@alsek/core";
import { MessageSettler } from "@alsek/core";
import { createLogger, requireLogSink, setLogLevel, type Logger, type LogSink } from "@alsek/core";
import type { Mechanism } from "@alsek/core";
import type { Message } from "@alsek/core";
import type { LeaseState } from "@alsek/core";
import { messageTracing, type ClaimTrace } from "@alsek/core";
import type { Task } from "@alsek/core";
import type { Assignment, OutcomeReport } from "./assignment.js";
import { InFlight, type RunningMessage } from "./in-flight.js";
import { MessageAdmission } from "./message-admission.js";
import type { PoolExecutor } from "./pool-executor.js";
import { PoolSettlement } from "./pool-settlement.js";
import { resolveWorkerPoolOptions, type ResolvedWorkerPoolOptions, type WorkerPoolOptions } from "./worker-pool-options.js";
import { PrefetchDepth } from "./prefetch-depth.js";
import { ProgressWriter } from "./progress-writer.js";
import { resolvePoolTasks } from "./pool-tasks.js";
import { SlotSignal } from "./slot-signal.js";
import { storeTaskRateLimits } from "./task-rate-limits.js";
import { listenForStopSignals } from "./stop-signals.js";
import { ActivitySummary } from "./activity-summary.js";
import { NOT_STARTED_ERROR, poolWireError, type WireOutcome } from "./wire-outcome.js";
import type { WorkerPoolEvents } from "./worker-pool-events.js";

export type { WorkerPoolEvents } from "./worker-pool-events.js";

/**
 * The machinery both worker pools share. The pool's main process claims as many messages as it
 * has free slots plus a prefetch depth (queued next to the workers; see `prefetch`), keeps their
 * leases alive, and settles every outcome through the shared lifecycle (retry, DLQ, callbacks,
 * results, statuses); an executor decides where the tasks run. Extend it with a {@link PoolExecutor}; users construct `ThreadWorkerPool`,
 * `InLoopWorkerPool` or `ProcessWorkerPool`.
 *
 * This file holds the engine's run (start, claim loop, stop and drain); its other jobs each have a
 * file: {@link MessageAdmission} (which claimed messages run), {@link InFlight} (what is held and
 * renewed, and the settlements being written), {@link PoolSettlement} (RUNNING, outcomes, events,
 * hand-backs) and {@link ProgressWriter} (progress under the lease).
 */
export abstract class WorkerPool extends EventEmitter<WorkerPoolEvents> {
  /** The tasks this pool runs (those of its mechanism). */
  readonly tasks: readonly Task[];
  /** Queues consumed, in order. */
  readonly queues: readonly string[];
  /** The broker of the tasks. */
  readonly broker: Broker;
  /** Which tasks this pool runs. */
  readonly mechanism: Mechanism;
  protected readonly log: Logger;
  readonly #byName: Map<string, Task>;
  readonly #executor: PoolExecutor;
  /** The `logger` option, else the broker's, else `null` (the process-wide logger). */
  readonly #logSink: LogSink | null;
  readonly #options: ResolvedWorkerPoolOptions;
  /** Assignments running or queued at the executor, and the settlements still being written. */
  readonly #inFlight: InFlight;
  readonly #admission: MessageAdmission;
  /** Names of the given tasks that another mechanism's pool runs: every claim skips them. */
  readonly #otherMechanism: ReadonlySet<string>;
  /** Those of them whose queue this pool consumes too, for the one notice at start. */
  readonly #sharingQueues: readonly Task[];
  readonly #settlement: PoolSettlement;
  readonly #progress: ProgressWriter;
  readonly #prefetchDepth: PrefetchDepth;
  #stop = new AbortController();
  #runPromise: Promise<void> | null = null;
  /** Wakes the claim loop (or the drain) when a slot frees. */
  readonly #slotFreed = new SlotSignal();
  /**
   * Why the pool cannot go on (its workers could not start, or the backend failed in a way retrying
   * cannot fix): the pool stops and `run()` rejects with it.
   */
  #fatal: Error | null = null;

  protected constructor(mechanism: Mechanism, options: WorkerPoolOptions, executor: PoolExecutor, slotWaitDefault: number) {
    super();
    // Inherited: the threads and children it starts begin at the same level.
    if (options.logLevel !== undefined) setLogLevel(options.logLevel, { inherited: true });
    const ownSink = requireLogSink("Worker pool", options.logger);
    const resolved = resolvePoolTasks(options.tasks, mechanism, options.queues);
    this.tasks = resolved.tasks;
    this.queues = resolved.queues;
    this.broker = resolved.broker;
    this.#logSink = ownSink ?? this.broker.logger ?? null;
    this.log = createLogger(`alsek.pool.${mechanism}`, this.#logSink);
    const settler = new MessageSettler({ logger: this.#logSink });
    this.#byName = resolved.byName;
    // Given tasks that another mechanism's pool runs: claims leave their messages in place (and a
    // backend that ignores skipTasks gets them passed over; see MessageAdmission).
    const others = options.tasks.filter((task) => task.mechanism !== mechanism && !resolved.byName.has(task.name));
    const otherMechanism = new Set(others.map((task) => task.name));
    this.#otherMechanism = otherMechanism;
    this.#sharingQueues = [...new Set(others)].filter((task) => resolved.queues.includes(task.queue));
    this.mechanism = mechanism;
    this.#inFlight = new InFlight(this.log);
    this.#settlement = new PoolSettlement({ broker: this.broker, settler, log: this.log, inFlight: this.#inFlight, events: this, mechanism });
    this.#admission = new MessageAdmission(
      resolved.byName,
      otherMechanism,
      this.#inFlight,
      this.#settlement,
      settler,
      executor.inProcess === true,
    );
    this.#progress = new ProgressWriter(this.broker.backend, this.#inFlight, this.log);
    this.#executor = executor;
    this.#options = resolveWorkerPoolOptions(options, executor.capacity, slotWaitDefault);
    this.#prefetchDepth = new PrefetchDepth(this.#options.prefetch);
  }

  /** Most tasks this pool runs at once. */
  get capacity(): number {
    return this.#executor.capacity;
  }

  /** Tasks running now (0..capacity); prefetched messages waiting for a slot are not counted. */
  get load(): number {
    return Math.min(this.#inFlight.size, this.capacity);
  }

  /** Most messages claimed beyond the free slots, queued next to the workers. */
  get prefetch(): number {
    return this.#options.prefetch;
  }

  /** Whether `run()` is in progress. */
  get running(): boolean {
    return this.#runPromise !== null;
  }

  /**
   * Consume and run messages until {@link stop} (or SIGTERM/SIGINT). Resolves after the graceful
   * stop completed; calling it again while running returns the same promise.
   * @throws WorkerStartError (rejects) when the pool's workers cannot start, and
   *   PermanentBackendError when claiming fails in a way retrying cannot fix (credentials,
   *   permissions, TLS trust, a file that is not a database): the pool stops at once and hands
   *   the messages it claimed back to their queues. Other claim failures are retried.
   */
  run(): Promise<void> {
    this.#runPromise ??= this.#engine().finally(() => {
      this.#runPromise = null;
    });
    return this.#runPromise;
  }

  /**
   * Stop gracefully: claim nothing new, let running tasks finish within `stopGraceMs`, hand the
   * rest back to their queues without consuming a retry. Resolves once the pool stopped.
   */
  async stop(): Promise<void> {
    this.#stop.abort();
    this.#slotFreed.notify();
    await this.#runPromise;
  }

  async #engine(): Promise<void> {
    this.#stop = new AbortController();
    this.#fatal = null;
    const signal = this.#stop.signal;
    const removeSignals = this.#options.handleSignals
      ? listenForStopSignals({
          onFirst: (name) => {
            this.log.warn("Stop signal received: draining (send it again to exit at once).", { signal: name });
            void this.stop();
          },
          onSecond: (name) => {
            this.log.error("Second stop signal: killing workers and exiting now.", { signal: name });
            this.#executor.killNow();
            process.exit(1);
          },
        })
      : () => {};
    const consumer = new Consumer(this.broker, {
      queues: this.queues,
      leaseMs: this.#options.leaseMs,
      maxIdleWaitMs: this.#options.maxIdleWaitMs,
      onRejected: (rejected) => this.#settlement.rejected(rejected, this.#byName),
      logger: this.#logSink,
      // Beyond the contract's bound the pool claims them all and passes the others' over instead.
      ...(this.#otherMechanism.size > 0 && this.#otherMechanism.size <= MAX_SKIP_TASKS
        ? { skipTasks: [...this.#otherMechanism] }
        : {}),
    });
    const renewer = new LeaseRenewer(this.broker.backend, {
      leaseMs: this.#options.leaseMs,
      // Renew at least three times per lease: a 1 s lease renewed once a second would expire
      // whenever a renewal came late, and its task would run twice.
      intervalMs: Math.min(1_000, Math.floor(this.#options.leaseMs / 3)),
      onLost: (message, state) => this.#onLeaseLost(message, state),
      logger: this.#logSink,
    });
    this.#inFlight.renewer = renewer;
    const summary = new ActivitySummary(
      { events: this, backend: this.broker.backend, queues: this.queues, load: () => ({ running: this.load, capacity: this.capacity }) },
      this.log,
      this.#options.summaryIntervalMs,
    );
    try {
      await messageTracing.load();
      try {
        await this.#executor.start({
          moduleUrls: [...new Set(this.tasks.map((task) => task.moduleUrl!))],
          report: (reports) => this.#onReports(reports),
          started: (ids) => this.#settlement.markStarted(ids),
          progress: (report) => this.#progress.report(report),
          failed: (error) => this.#failStart(error),
        });
      } catch (error) {
        this.#failStart(error);
      }
      if (!this.#fatal) {
        renewer.start();
        this.log.info(
          `Monitoring ${this.tasks.length} task(s) over ${this.queues.length} queue(s) with up to ${this.capacity} worker(s).`,
          { tasks: this.tasks.map((task) => task.name), queues: this.queues, capacity: this.capacity },
        );
        this.#noticeSharedQueues();
        this.emit("started");
        summary.start();
        await this.#claimLoop(consumer, signal);
      }
    } finally {
      await this.#drain();
      renewer.stop();
      this.#inFlight.renewer = null;
      await consumer.close();
      removeSignals();
      await summary.stop();
      this.log.info("Worker pool stopped.");
      this.emit("stopped");
    }
    if (this.#fatal) throw this.#fatal;
  }

  /**
   * Once per start: tasks of another mechanism share this pool's queues. Their messages stay for a
   * pool of their mechanism (the claims skip them), but every claim of either pool steps over the
   * other's messages, and a backlog of them delays what is behind it.
   */
  #noticeSharedQueues(): void {
    if (this.#sharingQueues.length === 0) return;
    const tasks = this.#sharingQueues.map((task) => task.name);
    const queues = [...new Set(this.#sharingQueues.map((task) => task.queue))];
    this.log.warn(
      `Task(s) ${tasks.map((name) => `'${name}'`).join(", ")} of another mechanism share queue(s) ` +
        `${queues.map((name) => `'${name}'`).join(", ")} with this ${this.mechanism} pool: its claims leave their ` +
        "messages for a pool of their mechanism. Give each mechanism its own queue.",
      { tasks, queues },
    );
  }

  /** The workers cannot start: stop at once (what was claimed is handed back by the drain). */
  #failStart(cause: unknown): void {
    const reason = cause instanceof Error ? cause.message : String(cause);
    this.#failWith(
      new WorkerStartError(
        `The ${this.mechanism} pool's workers could not start (${reason}); the pool stopped and handed its ` +
          "claimed messages back to their queues. Fix the cause (Node flags, the worker entry, resources) and start it again.",
        { cause },
      ),
    );
  }

  /**
   * Stop at once; `run()` rejects with `error` once the drain handed back what was claimed. Not
   * logged here: the rejection is the report (the CLI prints it as its one line).
   */
  #failWith(error: Error): void {
    if (this.#fatal) return;
    this.#fatal = error;
    this.#stop.abort();
    this.#slotFreed.notify();
  }

  async #claimLoop(consumer: Consumer, signal: AbortSignal): Promise<void> {
    let limitsStored = this.tasks.every((task) => task.rateLimit === null);
    while (!signal.aborted) {
      if (!limitsStored) {
        try {
          await storeTaskRateLimits(this.broker.backend, this.tasks);
          limitsStored = true;
        } catch (error) {
          if (!(await this.#mayRetry("Storing the tasks' rate limits", error, signal))) return;
          continue;
        }
      }
      const depth = this.#prefetchDepth.current;
      const free = this.capacity + depth - this.#inFlight.size;
      // With slots busy and enough queued, wait until half the depth has freed: fewer, larger
      // claims and assignment messages for the same throughput.
      if (free <= 0 || (free < depth / 2 && this.#inFlight.size >= this.capacity)) {
        await this.#slotFreed.wait(this.#options.slotWaitInterval);
        continue;
      }
      let messages: Message[];
      const claimStart = messageTracing.enabled ? Date.now() : 0;
      try {
        messages = await consumer.claim(free);
      } catch (error) {
        if (!(await this.#mayRetry("Claiming messages", error, signal))) return;
        continue;
      }
      if (signal.aborted) {
        // Claimed while stopping: give them straight back, untouched.
        await Promise.all(messages.map((message) => this.#settlement.release(message)));
        return;
      }
      this.#dispatchAll(messages, messageTracing.enabled ? messageTracing.claimed(this.queues, messages.length, claimStart) : null);
      if (messages.length < free) await consumer.waitForWork(signal);
    }
  }

  /**
   * After a backend call of the claim loop failed: stop the pool on a permanent error (`false`),
   * else log it and wait before the loop tries again (`true`).
   */
  async #mayRetry(what: string, error: unknown, signal: AbortSignal): Promise<boolean> {
    if (isPermanentBackendError(error)) {
      this.#failWith(error);
      return false;
    }
    const retryInMs = Math.max(this.#options.slotWaitInterval, 500);
    const cause = error instanceof Error ? error.message : String(error);
    this.log.error(`${what} failed (${cause}); retrying in ${retryInMs} ms.`, { error });
    await abortableSleep(retryInMs, signal);
    return true;
  }

  /** Start the messages of one claim: one assignment batch for the executor, no per-message promise. */
  #dispatchAll(messages: readonly Message[], claim: ClaimTrace | null): void {
    const assignments: Assignment[] = [];
    for (const message of messages) {
      const assignment = this.#admission.admit(message, claim);
      if (assignment) assignments.push(assignment);
    }
    if (assignments.length === 0) return;
    try {
      this.#executor.execute(assignments);
    } catch (error) {
      // The executor took none of them: hand them back ourselves.
      for (const { id } of assignments) {
        const entry = this.#inFlight.take(id);
        if (entry) this.#inFlight.track(this.#settlement.release(entry.message));
      }
      this.#failStart(error);
    }
  }

  /**
   * Outcomes of one tick: free their slots first, so the claim loop's next claim goes out in the
   * same tick as these acks and the backend can pipeline them, then settle them together.
   */
  #onReports(reports: readonly OutcomeReport[]): void {
    const done: [RunningMessage, WireOutcome][] = [];
    for (const { id, outcome } of reports) {
      const entry = this.#inFlight.take(id);
      if (entry) done.push([entry, outcome]);
    }
    if (done.length === 0) return;
    this.#prefetchDepth.completed(done.length);
    if (!this.#slotFreed.waiting) {
      void this.#settlement.settleAll(done);
      return;
    }
    // The next claim is on the critical path, the acks are not: the woken claim loop writes its
    // claim within this turn's microtasks, so Redis runs it before these acks, not after.
    this.#slotFreed.notify();
    this.#inFlight.track(new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.#settlement.settleAll(done)));
  }

  #onLeaseLost(message: Message, state: LeaseState): void {
    for (const entry of this.#inFlight.values()) {
      if (entry.message !== message) continue;
      entry.lostState = state;
      this.#executor.cancel(
        entry.id,
        state === "gone"
          ? poolWireError("RevokedError", `Task '${entry.task.name}' was revoked (or its message removed) while it ran.`)
          : poolWireError("TerminationError", "The pool lost the message's lease; another consumer runs it now."),
      );
    }
  }

  async #drain(): Promise<void> {
    const deadline = Date.now() + this.#options.stopGraceMs;
    // Prefetched messages that have not started go straight back to their queues.
    this.#executor.dropQueued(
      poolWireError(NOT_STARTED_ERROR, "The pool stopped before the task started; it was handed back to its queue."),
    );
    while (this.#inFlight.size > 0 && Date.now() < deadline) {
      await this.#slotFreed.wait(Math.min(this.#options.slotWaitInterval * 4, Math.max(1, deadline - Date.now())));
    }
    const reason = poolWireError("TerminationError", "The pool stopped before the task finished; it was handed back to its queue.");
    for (const entry of this.#inFlight.values()) {
      entry.handBack = true;
      this.#executor.cancel(entry.id, reason);
    }
    await this.#executor.shutdown(reason);
    await this.#inFlight.settled();
  }
}
