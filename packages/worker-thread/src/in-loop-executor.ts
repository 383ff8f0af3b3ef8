import {
  AttemptAbort,
  createLogger,
  expandMessageData,
  Message,
  runTask,
  TaskTimeoutError,
  type ProgressValue,
  type Task,
} from "@alsek/core";
import {
  decodeWireError,
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
 * Run one assignment here with the pool's own task object (`task`; the process-wide registry may
 * hold another task of that name). Without one, the module is imported as a worker would.
 */
async function run(
  task: Task | undefined,
  assignment: Assignment,
  abort: AttemptAbort,
  onProgress: (value: ProgressValue) => void,
): Promise<WireOutcome> {
  if (task === undefined) return runAssignment(assignment, { abort, onProgress });
  // Made on the first report, as a worker thread does: a task that reports none costs nothing more.
  let throttle: ProgressThrottle | null = null;
  try {
    const outcome = await runTask(task, new Message(expandMessageData(assignment.messageData)), {
      abort,
      progress: (value) => (throttle ??= new ProgressThrottle(onProgress)).push(value),
    });
    return outcome.ok ? outcome : { ok: false, error: encodeWireError(outcome.error) };
  } catch (error) {
    return { ok: false, error: encodeWireError(error) };
  } finally {
    (throttle as ProgressThrottle | null)?.flush();
  }
}

/** Settings of an {@link InLoopExecutor}. */
export interface InLoopExecutorOptions {
  /** Tasks running at once. */
  concurrency: number;
  /** How long a stopped task gets to end after its signal aborted, in ms, before it is settled anyway. */
  abortGraceMs: number;
}

interface Running {
  assignment: Assignment;
  abort: AttemptAbort;
  /** `performance.now()` past which the attempt times out. */
  deadline: number;
  /** Why the attempt is being stopped (cancelled), once it is: its outcome, whatever the function does. */
  stopReason: WireError | null;
  /** `performance.now()` past which a stopped attempt is settled without waiting for its function. */
  graceEnds: number;
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
  readonly #abortGraceMs: number;
  readonly #log = createLogger("alsek.pool.in-loop");
  #context: PoolExecutorContext | null = null;
  /** The pool's tasks by name. */
  #tasks = new Map<string, Task>();
  /** Assignments waiting for a free slot (the pool's prefetch), in arrival order. */
  #waiting: Assignment[] = [];
  /** Attempts holding a slot; one leaves when reported (a late outcome is then dropped). */
  readonly #running = new Map<number, Running>();
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
    while (this.#running.size < this.capacity && this.#waiting.length > 0) {
      const assignment = this.#waiting.shift()!;
      if (assignment.notifyStart) (started ??= []).push(assignment.id);
      const entry: Running = {
        assignment,
        abort: new AttemptAbort(),
        deadline: performance.now() + assignment.timeoutMs,
        stopReason: null,
        graceEnds: 0,
      };
      this.#running.set(assignment.id, entry);
      // Never rejects; the task runs synchronously up to its first await here.
      void run(this.#tasks.get(assignment.taskName), assignment, entry.abort, (value) =>
        this.#context?.progress({ id: assignment.id, value }),
      ).then((outcome) =>
        this.#finished(entry, outcome),
      );
    }
    if (started !== null) this.#context?.started(started);
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
