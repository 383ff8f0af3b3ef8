import {
  AttemptAbort,
  ChurnMap,
  createLogger,
  expandMessageData,
  Message,
  runTask,
  TaskTimeoutError,
  type ProgressValue,
  type RunContext,
  type Task,
} from "@alsek/core";
import {
  decodeWireError,
  DETACHED_EXECUTOR_CONTEXT,
  encodeWireError,
  poolWireError,
  ProgressThrottle,
  runAssignment,
  type Assignment,
  type OutcomeReport,
  type PoolExecutor,
  type PoolExecutorContext,
  type WireError,
  type WireOutcome,
} from "@alsek/worker";

/** How often deadlines (timeouts, abort graces) are checked, in ms: one timer for the executor. */
const CHECK_EVERY_MS = 25;

/**
 * The message a task runs with: its own copy, so what the task changes on it stays there, as in a
 * worker thread. An untraced assignment carries the pool's message itself (`inProcess`).
 */
function taskCopy(assignment: Assignment): Message {
  const data = assignment.messageData;
  return data instanceof Message ? new Message(data) : new Message(expandMessageData(data));
}

/** Settings of an {@link InLoopExecutor}. */
export interface InLoopExecutorOptions {
  /** Tasks running at once. */
  concurrency: number;
  /** How long a stopped task gets to end after its signal aborted, in ms, before it is settled anyway. */
  abortGraceMs: number;
}

/**
 * One attempt holding a slot. It is also the attempt's `RunContext` (its abort switch and where
 * its progress goes), so starting a message allocates this and the task's message, little else.
 */
class Running implements RunContext {
  readonly assignment: Assignment;
  readonly abort = new AttemptAbort();
  /** `performance.now()` past which the attempt times out. */
  readonly deadline: number;
  /** Why the attempt is being stopped (cancelled), once it is: its outcome, whatever the function does. */
  stopReason: WireError | null = null;
  /** `performance.now()` past which a stopped attempt is settled without waiting for its function. */
  graceEnds = 0;
  /** Made on the first report, as a worker thread does: a task that reports none costs nothing more. */
  #throttle: ProgressThrottle | null = null;
  readonly #context: PoolExecutorContext;

  constructor(assignment: Assignment, context: PoolExecutorContext) {
    this.assignment = assignment;
    this.deadline = performance.now() + assignment.timeoutMs;
    this.#context = context;
  }

  /** Where the task's `message.progress(value)` reports go (throttled). */
  readonly progress = (value: ProgressValue): void => {
    (this.#throttle ??= new ProgressThrottle((checked) => this.#context.progress({ id: this.assignment.id, value: checked }))).push(value);
  };

  /** Send the last throttled progress value, before the outcome. */
  flushProgress(): void {
    this.#throttle?.flush();
  }
}

/**
 * Runs assignments in the pool's own event loop: no thread or process hop, so an I/O-bound async
 * task costs about what it would in a plain Node program. Timeouts are soft: at the deadline the
 * task's `message.signal` aborts, the attempt fails with `TaskTimeoutError` and its slot frees at
 * once, but nothing can stop a function that ignores the signal (it runs on, and its late outcome
 * is dropped). Cancellations (revocation, lost lease, the end of a graceful stop) abort the signal
 * and wait up to `abortGraceMs` for the function to end. A task that blocks the event loop blocks
 * the whole pool (claims, lease renewals): CPU-bound tasks belong on threads.
 */
export class InLoopExecutor implements PoolExecutor {
  readonly capacity: number;
  readonly inProcess = true;
  readonly #abortGraceMs: number;
  readonly #log = createLogger("alsek.pool.in-loop");
  #context: PoolExecutorContext | null = null;
  /** The pool's tasks by name. */
  #tasks = new Map<string, Task>();
  /** Assignments waiting for a free slot (the pool's prefetch), in arrival order. */
  #waiting: Assignment[] = [];
  /**
   * Attempts holding a slot; one leaves when reported (a late outcome is then dropped). Churn-safe:
   * a Map here kept finished attempts alive across scavenges (see `ChurnMap`).
   */
  readonly #running = new ChurnMap<Running>();
  /** Attempts reported while their function still runs (it ignored its signal). */
  readonly #abandoned = new Set<Running>();
  #outbox: OutcomeReport[] = [];
  #checker: NodeJS.Timeout | null = null;
  /** Wakes a shutdown waiting for the running attempts. */
  #drained: (() => void) | null = null;

  constructor(options: InLoopExecutorOptions) {
    this.capacity = options.concurrency;
    this.#abortGraceMs = options.abortGraceMs;
  }

  /** The pool's tasks: what assignments name is run with these objects. */
  useTasks(tasks: readonly Task[]): void {
    this.#tasks = new Map(tasks.map((task) => [task.name, task]));
  }

  get load(): number {
    return this.#running.size + this.#waiting.length;
  }

  async start(context: PoolExecutorContext): Promise<void> {
    this.#context = context;
    this.#checker = setInterval(() => this.#check(performance.now()), CHECK_EVERY_MS);
    this.#checker.unref();
  }

  execute(assignments: readonly Assignment[]): void {
    for (const assignment of assignments) this.#waiting.push(assignment);
    this.#startWaiting();
  }

  cancel(id: number, reason: WireError): void {
    const at = this.#waiting.findIndex((assignment) => assignment.id === id);
    if (at >= 0) {
      this.#waiting.splice(at, 1);
      this.#queueReport({ id, outcome: { ok: false, error: reason } });
      return;
    }
    const entry = this.#running.get(id);
    if (entry === undefined || entry.stopReason !== null) return;
    entry.stopReason = reason;
    entry.graceEnds = performance.now() + this.#abortGraceMs;
    entry.abort.abort(decodeWireError(reason));
    if (this.#abortGraceMs <= 0) this.#settleStopped(entry);
  }

  dropQueued(reason: WireError): void {
    const dropped = this.#waiting;
    this.#waiting = [];
    for (const { id } of dropped) this.#queueReport({ id, outcome: { ok: false, error: reason } });
  }

  async shutdown(reason: WireError): Promise<void> {
    // The checker settles what ignores its signal: it must keep the process alive until then.
    this.#checker?.ref();
    this.dropQueued(reason);
    for (const id of [...this.#running.keys()]) this.cancel(id, reason);
    while (this.#running.size > 0) {
      await new Promise<void>((resolve) => {
        this.#drained = resolve;
      });
    }
    if (this.#checker) clearInterval(this.#checker);
    this.#checker = null;
  }

  /** Nothing to kill: the tasks run in this process, which is about to exit. */
  killNow(): void {}

  #startWaiting(): void {
    let started: number[] | null = null;
    const context = this.#context ?? DETACHED_EXECUTOR_CONTEXT;
    while (this.#running.size < this.capacity && this.#waiting.length > 0) {
      const assignment = this.#waiting.shift()!;
      if (assignment.notifyStart) (started ??= []).push(assignment.id);
      const entry = new Running(assignment, context);
      this.#running.set(assignment.id, entry);
      // Never rejects; the task runs synchronously up to its first await here.
      void this.#run(entry);
    }
    if (started !== null) this.#context?.started(started);
  }

  /**
   * Run one attempt here with the pool's own task object (the process-wide registry may hold
   * another task of that name); without one, the module is imported as a worker would. Never rejects.
   */
  async #run(entry: Running): Promise<void> {
    const { assignment } = entry;
    const task = this.#tasks.get(assignment.taskName);
    let outcome: WireOutcome;
    if (task === undefined) {
      const context = this.#context ?? DETACHED_EXECUTOR_CONTEXT;
      // runAssignment throttles the reports itself.
      outcome = await runAssignment(assignment, {
        abort: entry.abort,
        onProgress: (value) => context.progress({ id: assignment.id, value }),
      });
    } else {
      try {
        const result = await runTask(task, taskCopy(assignment), entry);
        outcome = result.ok ? result : { ok: false, error: encodeWireError(result.error) };
      } catch (error) {
        outcome = { ok: false, error: encodeWireError(error) };
      }
      entry.flushProgress();
    }
    this.#finished(entry, outcome);
  }

  #finished(entry: Running, outcome: WireOutcome): void {
    if (this.#abandoned.delete(entry)) return;
    if (this.#running.get(entry.assignment.id) !== entry) return;
    this.#running.delete(entry.assignment.id);
    this.#queueReport({
      id: entry.assignment.id,
      outcome: entry.stopReason ? { ok: false, error: entry.stopReason } : outcome,
    });
    this.#afterSlotFreed();
  }

  /** Settle a stopped attempt now, its function left running if it has not ended. */
  #settleStopped(entry: Running): void {
    if (this.#running.get(entry.assignment.id) !== entry) return;
    this.#running.delete(entry.assignment.id);
    this.#abandoned.add(entry);
    this.#queueReport({ id: entry.assignment.id, outcome: { ok: false, error: entry.stopReason! } });
    this.#afterSlotFreed();
  }

  #afterSlotFreed(): void {
    this.#startWaiting();
    if (this.#running.size === 0 && this.#drained) {
      const drained = this.#drained;
      this.#drained = null;
      drained();
    }
  }

  /** Time out attempts past their deadline; settle stopped ones past their grace; warn about abandoned ones. */
  #check(now: number): void {
    for (const entry of this.#running.values()) {
      if (entry.stopReason !== null) {
        if (now >= entry.graceEnds) this.#settleStopped(entry);
        continue;
      }
      if (now < entry.deadline) continue;
      const { taskName, timeoutMs } = entry.assignment;
      const text = `Task '${taskName}' exceeded its timeout of ${timeoutMs} ms; its signal was aborted (in-loop: a function that ignores it is not stopped).`;
      entry.stopReason = poolWireError("TaskTimeoutError", text);
      entry.graceEnds = now + this.#abortGraceMs;
      entry.abort.abort(new TaskTimeoutError(text));
      // Soft timeout: the slot frees at the deadline, whether or not the function ends.
      this.#settleStopped(entry);
    }
    for (const entry of this.#abandoned) {
      if (now < entry.graceEnds) continue;
      this.#abandoned.delete(entry);
      this.#log.warn(
        `Task '${entry.assignment.taskName}' still runs ${this.#abortGraceMs} ms after its signal aborted: ` +
          "its attempt was settled, and the function is left running in the pool's event loop. Pass message.signal to what it awaits.",
        { task: entry.assignment.taskName, uuid: entry.assignment.messageData.uuid },
      );
    }
  }

  /** Outcomes of one turn of the event loop are reported together. */
  #queueReport(report: OutcomeReport): void {
    this.#outbox.push(report);
    if (this.#outbox.length === 1) {
      queueMicrotask(() => {
        const reports = this.#outbox;
        this.#outbox = [];
        this.#context?.report(reports);
      });
    }
  }
}
