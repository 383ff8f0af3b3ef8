import { EventEmitter } from "node:events";
import { abortableSleep } from "@alsek/core";
import type { Broker } from "@alsek/core";
import { Consumer, LeaseRenewer } from "@alsek/core";
import { isPermanentBackendError, LeaseExpiredError, UnknownTaskError, WorkerStartError } from "@alsek/core";
import { MessageSettler, type SettleDisposition, type TaskOutcome } from "@alsek/core";
import { createLogger, messageLogFields, requireLogSink, setLogLevel, type Logger, type LogSink } from "@alsek/core";
import type { Mechanism } from "@alsek/core";
import { compactKnownFields, type CompactMessageData } from "@alsek/core";
import { Message } from "@alsek/core";
import { progressWrite, type ProgressValue } from "@alsek/core";
import type { Assignment, OutcomeReport, ProgressReport } from "./assignment.js";
import type { LeaseState, RejectedMessage, StatusWrite } from "@alsek/core";
import { TaskStatus } from "@alsek/core";
import { messageTracing, TRACE_CONTEXT_METADATA_KEY, type AttemptTrace, type ClaimTrace } from "@alsek/core";
import type { Task } from "@alsek/core";
import type { PoolExecutor } from "./pool-executor.js";
import { resolveWorkerPoolOptions, type ResolvedWorkerPoolOptions, type WorkerPoolOptions } from "./worker-pool-options.js";
import { PrefetchDepth } from "./prefetch-depth.js";
import { resolvePoolTasks } from "./pool-tasks.js";
import { SlotSignal } from "./slot-signal.js";
import { storeTaskRateLimits } from "./task-rate-limits.js";
import { listenForStopSignals } from "./stop-signals.js";
import { ActivitySummary } from "./activity-summary.js";
import { decodeWireError, NOT_STARTED_ERROR, poolWireError, type WireOutcome } from "./wire-outcome.js";

/** How long a message of another mechanism's task waits before any pool may claim it again. */
const PASS_OVER_DELAY_MS = 1_000;

/** Events of a worker pool, with their arguments. */
export interface WorkerPoolEvents {
  /** The pool is consuming. */
  started: [];
  /** A message succeeded (after its result, callback and status were written). */
  completed: [message: Message, result: unknown];
  /**
   * A message failed for good (dead-lettered or revoked). A message whose stored data could not be
   * decoded comes with a `MessageDecodeError`, and as the data that was dead-lettered.
   */
  failed: [message: Message, error: unknown];
  /** A message failed and was scheduled to run again. */
  retried: [message: Message, error: unknown];
  /** The pool stopped; `run()` resolves right after. */
  stopped: [];
}

interface RunningMessage {
  id: number;
  message: Message;
  task: Task;
  /** How the lease went, when the renewer reported it was not ours any more. */
  lostState: LeaseState | null;
  /** Stopped by a graceful stop past its grace: give it back to its queue untouched. */
  handBack: boolean;
  /** Status RUNNING being written (only with a status tracker, once it started); settled after it. */
  marked: Promise<void> | null;
  /** The attempt's OpenTelemetry spans (`null` without `@opentelemetry/api`). */
  trace: AttemptTrace | null;
  /** Progress being written (only once the task reported some); settled after it. */
  progressWriting?: Promise<void> | undefined;
  /** The latest progress reported while a write was on its way: written next. */
  progressPending?: ProgressValue | undefined;
}

/**
 * The machinery both worker pools share. The pool's main process claims as many messages as it
 * has free slots plus a prefetch depth (queued next to the workers; see `prefetch`), keeps their
 * leases alive, and settles every outcome through the shared lifecycle (retry, DLQ, callbacks,
 * results, statuses); an executor decides where the tasks run. Extend it with a {@link PoolExecutor}; users construct `ThreadWorkerPool` or
 * `ProcessWorkerPool`.
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
  /** Names of given tasks that another mechanism's pool runs: their messages are passed over. */
  readonly #otherMechanism: Set<string>;
  readonly #executor: PoolExecutor;
  readonly #settler: MessageSettler;
  /** The `logger` option, else the broker's, else `null` (the process-wide logger). */
  readonly #logSink: LogSink | null;
  readonly #options: ResolvedWorkerPoolOptions;
  /** Assignments running or queued at the executor. */
  readonly #running = new Map<number, RunningMessage>();
  readonly #settling = new Set<Promise<void>>();
  #nextId = 0;
  readonly #prefetchDepth: PrefetchDepth;
  #stop = new AbortController();
  #runPromise: Promise<void> | null = null;
  /** Wakes the claim loop (or the drain) when a slot frees. */
  readonly #slotFreed = new SlotSignal();
  #renewer: LeaseRenewer | null = null;
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
    this.#settler = new MessageSettler({ logger: this.#logSink });
    this.#byName = resolved.byName;
    this.#otherMechanism = new Set(
      options.tasks.filter((task) => task.mechanism !== mechanism && !resolved.byName.has(task.name)).map((task) => task.name),
    );
    this.mechanism = mechanism;
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
    return Math.min(this.#running.size, this.capacity);
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
      onRejected: (rejected) => this.#onRejected(rejected),
      logger: this.#logSink,
    });
    const renewer = new LeaseRenewer(this.broker.backend, {
      leaseMs: this.#options.leaseMs,
      // Renew at least three times per lease: a 1 s lease renewed once a second would expire
      // whenever a renewal came late, and its task would run twice.
      intervalMs: Math.min(1_000, Math.floor(this.#options.leaseMs / 3)),
      onLost: (message, state) => this.#onLeaseLost(message, state),
      logger: this.#logSink,
    });
    this.#renewer = renewer;
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
          started: (ids) => this.#onStarted(ids),
          progress: (report) => this.#onProgress(report),
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
        this.emit("started");
        summary.start();
        await this.#claimLoop(consumer, signal);
      }
    } finally {
      await this.#drain();
      renewer.stop();
      this.#renewer = null;
      await consumer.close();
      removeSignals();
      await summary.stop();
      this.log.info("Worker pool stopped.");
      this.emit("stopped");
    }
    if (this.#fatal) throw this.#fatal;
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
      const free = this.capacity + depth - this.#running.size;
      // With slots busy and enough queued, wait until half the depth has freed: fewer, larger
      // claims and assignment messages for the same throughput.
      if (free <= 0 || (free < depth / 2 && this.#running.size >= this.capacity)) {
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
        await Promise.all(messages.map((message) => this.#release(message)));
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
      const assignment = this.#admit(message, claim);
      if (assignment) assignments.push(assignment);
    }
    if (assignments.length === 0) return;
    try {
      this.#executor.execute(assignments);
    } catch (error) {
      // The executor took none of them: hand them back ourselves.
      for (const { id } of assignments) {
        const entry = this.#running.get(id);
        if (!entry) continue;
        this.#running.delete(id);
        this.#renewer?.delete(entry.message);
        this.#track(this.#release(entry.message));
      }
      this.#failStart(error);
    }
  }

  /** Track `message` as running and return its assignment, or settle it here when it cannot run. */
  #admit(message: Message, claim: ClaimTrace | null): Assignment | null {
    const task = this.#byName.get(message.taskName);
    if (!task && this.#otherMechanism.has(message.taskName)) {
      this.#track(this.#passOver(message));
      return null;
    }
    if (!task) {
      // rejectUnknown logs the error itself; the pool keeps running (the original crashed here).
      this.#track(
        this.#settler.rejectUnknown(this.broker, message).then(() => {
          this.emit("failed", message, new UnknownTaskError(`Unknown task '${message.taskName}'`));
        }),
      );
      return null;
    }
    if (this.#settler.exceededLeaseLimit(message)) {
      this.#track(
        this.#settler.failExpired(task, message).then((disposition) => {
          if (disposition === "failed") this.emit("failed", message, new LeaseExpiredError(message.exceptionDetails?.text ?? "Lease expired too often."));
        }),
      );
      return null;
    }
    const id = ++this.#nextId;
    const trace = claim === null ? null : messageTracing.attempt(message, claim);
    this.#running.set(id, { id, message, task, lostState: null, handBack: false, marked: null, trace });
    this.#renewer?.add(message);
    return {
      id,
      // resolvePoolTasks refused tasks without a module URL.
      moduleUrl: task.moduleUrl!,
      taskName: task.name,
      messageData: trace === null ? wireData(message) : tracedWireData(message, trace),
      timeoutMs: message.timeout,
      // Status RUNNING only when someone records statuses: no start report otherwise.
      ...(task.statusTracker ? { notifyStart: true } : {}),
    };
  }

  /** Assignments a worker took up: record status RUNNING (their outcomes are settled after it). */
  #onStarted(ids: readonly number[]): void {
    for (const id of ids) {
      const entry = this.#running.get(id);
      if (!entry || entry.marked) continue;
      const { task, message } = entry;
      entry.marked = this.#settler.markRunning(task, message).catch((error: unknown) => {
        this.log.warn("Could not record status RUNNING.", { ...messageLogFields(message), error });
      });
    }
  }

  /**
   * A running task reported progress (throttled by its worker): write it under the message's
   * lease, one write at a time per message; a value that arrives meanwhile replaces any other
   * waiting one, so the last value is always written. The outcome is settled after the writes.
   */
  #onProgress({ id, value }: ProgressReport): void {
    const entry = this.#running.get(id);
    if (!entry?.message.lease) return;
    if (entry.progressWriting) {
      entry.progressPending = value;
      return;
    }
    entry.progressWriting = this.#writeProgress(entry, value);
  }

  async #writeProgress(entry: RunningMessage, first: ProgressValue): Promise<void> {
    const { message } = entry;
    const lease = message.lease!;
    let value: ProgressValue | undefined = first;
    while (value !== undefined) {
      entry.progressPending = undefined;
      try {
        // A lost or gone lease writes nothing; the renewer stops the task.
        if ((await this.broker.backend.setProgress(lease, progressWrite(lease, value, message.retries))) !== "ok") break;
      } catch (error) {
        this.log.warn("Could not record progress.", { uuid: message.uuid, error });
      }
      value = entry.progressPending;
    }
    entry.progressPending = undefined;
    entry.progressWriting = undefined;
  }

  /**
   * Outcomes of one tick: free their slots first, so the claim loop's next claim goes out in the
   * same tick as these acks and the backend can pipeline them, then settle them together.
   */
  #onReports(reports: readonly OutcomeReport[]): void {
    const done: [RunningMessage, WireOutcome][] = [];
    for (const { id, outcome } of reports) {
      const entry = this.#running.get(id);
      if (!entry) continue;
      this.#running.delete(id);
      this.#renewer?.delete(entry.message);
      done.push([entry, outcome]);
    }
    if (done.length === 0) return;
    this.#prefetchDepth.completed(done.length);
    if (!this.#slotFreed.waiting) {
      this.#settleAll(done);
      return;
    }
    // The next claim is on the critical path, the acks are not: the woken claim loop writes its
    // claim within this turn's microtasks, so Redis runs it before these acks, not after.
    this.#slotFreed.notify();
    this.#track(new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.#settleAll(done)));
  }

  /** Settle the outcomes of one report together; resolves once all are settled. */
  #settleAll(done: readonly [RunningMessage, WireOutcome][]): Promise<void> {
    const settling = done.map(([entry, outcome]) => {
      const before = entry.progressWriting ? Promise.all([entry.marked, entry.progressWriting]) : entry.marked;
      return before ? before.then(() => this.#settle(entry, outcome)) : this.#settle(entry, outcome);
    });
    if (settling.length === 1) {
      const settled = settling[0]!;
      this.#track(settled, done[0]![0].message);
      return settled.catch(() => {});
    }
    const all = Promise.allSettled(settling).then((results) => {
      results.forEach((result, i) => {
        if (result.status === "rejected") this.#logSettleError(result.reason, done[i]![0].message);
      });
    });
    this.#track(all);
    return all;
  }

  async #settle(entry: RunningMessage, wire: WireOutcome): Promise<void> {
    const { message, task } = entry;
    if (entry.handBack || (!wire.ok && wire.error.name === NOT_STARTED_ERROR)) {
      // It waits in its queue again: RUNNING would claim otherwise until the next attempt. A sink
      // that can prepare the status has it written with the release (the one write allowed to
      // turn RUNNING back), so no other pool's RUNNING can come before it.
      entry.trace?.end("handed-back");
      const status = task.writesStatusWithMessages() ? task.statusTracker!.prepare!(message, TaskStatus.SUBMITTED) : null;
      await this.#release(message, status);
      if (status === null) {
        await task.updateStatus(message, TaskStatus.SUBMITTED).catch((error: unknown) => {
          this.log.warn("Could not record status SUBMITTED for a handed-back message.", { ...messageLogFields(message), error });
        });
      }
      return;
    }
    if (entry.lostState === "lost") {
      entry.trace?.end("lost");
      this.log.warn("Lease lost while the task ran (another consumer holds the message now); outcome dropped.", messageLogFields(message));
      return;
    }
    const outcome: TaskOutcome = wire.ok ? wire : { ok: false, error: decodeWireError(wire.error) };
    entry.trace?.settling(message);
    let disposition: SettleDisposition;
    try {
      disposition = await this.#settler.settle(task, message, outcome);
    } catch (error) {
      entry.trace?.end("unsettled", error);
      throw error;
    }
    entry.trace?.end(disposition, outcome.ok ? undefined : outcome.error);
    if (disposition === "succeeded") this.emit("completed", message, wire.ok ? wire.result : undefined);
    else if (disposition === "retried") this.emit("retried", message, outcome.ok ? settledError(message) : outcome.error);
    else if (disposition === "failed" || disposition === "revoked") {
      this.emit("failed", message, outcome.ok ? settledError(message) : outcome.error);
    }
  }

  /**
   * A claimed message that could not be decoded, already dead-lettered by the backend: record
   * status FAILED when its task (if its name was readable) records statuses, and tell listeners.
   * No hook runs: the task's hooks would get data that is known to be broken.
   */
  #onRejected(rejected: RejectedMessage): void {
    const message = new Message(rejected.deadLetter);
    const task = this.#byName.get(message.taskName);
    if (task) this.#track(task.updateStatus(message, TaskStatus.FAILED), message);
    this.emit("failed", message, rejected.error);
  }

  #onLeaseLost(message: Message, state: LeaseState): void {
    for (const entry of this.#running.values()) {
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
    while (this.#running.size > 0 && Date.now() < deadline) {
      await this.#slotFreed.wait(Math.min(this.#options.slotWaitInterval * 4, Math.max(1, deadline - Date.now())));
    }
    const reason = poolWireError("TerminationError", "The pool stopped before the task finished; it was handed back to its queue.");
    for (const entry of this.#running.values()) {
      entry.handBack = true;
      this.#executor.cancel(entry.id, reason);
    }
    await this.#executor.shutdown(reason);
    while (this.#settling.size > 0) await Promise.all([...this.#settling]);
  }

  /**
   * A message of a known task that runs on the other mechanism: losing it to the DLQ would be
   * wrong, and releasing it would make this pool claim it again at once. Schedule it again a
   * little later instead, unchanged (no retry consumed), so a pool of its mechanism takes it.
   */
  async #passOver(message: Message): Promise<void> {
    const lease = message.lease;
    if (!lease) return;
    this.log.warn(
      `Task '${message.taskName}' runs on mechanism '${message.mechanism}', not '${this.mechanism}': ` +
        `message passed over for a ${message.mechanism} pool. Give each mechanism its own queue.`,
      messageLogFields(message),
    );
    try {
      await this.broker.backend.retry(lease, message.data, Date.now() + PASS_OVER_DELAY_MS);
    } catch (error) {
      this.log.error("Could not pass the message over; its lease will expire instead.", { ...messageLogFields(message), error });
    }
  }

  async #release(message: Message, status: StatusWrite | null = null): Promise<void> {
    if (!message.lease) return;
    try {
      await this.broker.backend.release(message.lease, status === null ? {} : { status });
    } catch (error) {
      this.log.warn("Could not hand a message back; it runs again once its lease expires.", { ...messageLogFields(message), error });
    }
  }

  #logSettleError(error: unknown, message: Message | null): void {
    const fields = message === null ? { error } : { ...messageLogFields(message), error };
    this.log.error("Settling a message failed; it runs again once its lease expires.", fields);
  }

  #track(promise: Promise<void>, message: Message | null = null): void {
    const tracked = promise.catch((error: unknown) => this.#logSettleError(error, message));
    this.#settling.add(tracked);
    void tracked.finally(() => this.#settling.delete(tracked));
  }
}

/**
 * The error an attempt that returned a value was failed with (its result could not be stored),
 * rebuilt from the message's exception details, which the settler recorded.
 */
function settledError(message: Message): unknown {
  const details = message.exceptionDetails;
  if (!details) return undefined;
  return decodeWireError({ name: details.name, message: details.text ?? "", stack: details.traceback, props: null });
}

/**
 * The persisted fields of `message` for an assignment, without the defaults: the `postMessage` or
 * IPC hop clones it, and cloning costs per field.
 */
function wireData(message: Message): CompactMessageData {
  return compactKnownFields(message) as CompactMessageData;
}

/**
 * {@link wireData} whose metadata carries the run span's trace context instead of the producer's:
 * the worker runs the task in it, so spans the task makes are children of the run span. The
 * message itself (stored again by a retry) keeps the producer's.
 */
function tracedWireData(message: Message, trace: AttemptTrace): CompactMessageData {
  const data = wireData(message);
  const traceparent = trace.traceparent;
  if (traceparent === null) return data;
  return { ...data, metadata: { ...(message.metadata ?? {}), [TRACE_CONTEXT_METADATA_KEY]: traceparent } } as CompactMessageData;
}
