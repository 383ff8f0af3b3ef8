// A worker pool that runs its tasks in the test process itself, on any backend (Memory and SQLite
// included): the shared engine (claim, renew, settle, stop) is the real one; only the executor is
// this small in-process stand-in for threads and child processes.
import { expandMessageData, getRegisteredTask, Message, runTask } from "@alsek/core";
import {
  encodeWireError,
  poolWireError,
  WorkerPool,
  type Assignment,
  type PoolExecutor,
  type PoolExecutorContext,
  type WireError,
  type WireOutcome,
  type WorkerPoolOptions,
} from "@alsek/worker";

class InlineExecutor implements PoolExecutor {
  readonly capacity: number;
  #context: PoolExecutorContext | null = null;
  readonly #queued: Assignment[] = [];
  /** Running assignments; an id leaves when reported (a late outcome of a cancelled one is dropped). */
  readonly #running = new Set<number>();

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get load(): number {
    return this.#running.size + this.#queued.length;
  }

  async start(context: PoolExecutorContext): Promise<void> {
    this.#context = context;
  }

  execute(assignments: readonly Assignment[]): void {
    this.#queued.push(...assignments);
    this.#pump();
  }

  cancel(id: number, reason: WireError): void {
    const at = this.#queued.findIndex((assignment) => assignment.id === id);
    if (at >= 0) this.#queued.splice(at, 1);
    else if (!this.#running.delete(id)) return;
    this.#report(id, { ok: false, error: reason });
  }

  dropQueued(reason: WireError): void {
    for (const assignment of this.#queued.splice(0)) this.#report(assignment.id, { ok: false, error: reason });
  }

  async shutdown(reason: WireError): Promise<void> {
    this.dropQueued(reason);
    for (const id of [...this.#running]) this.cancel(id, reason);
  }

  killNow(): void {}

  #pump(): void {
    while (this.#running.size < this.capacity && this.#queued.length > 0) {
      const assignment = this.#queued.shift()!;
      this.#running.add(assignment.id);
      if (assignment.notifyStart) this.#context?.started([assignment.id]);
      void this.#run(assignment).then((outcome) => {
        if (!this.#running.delete(assignment.id)) return;
        this.#report(assignment.id, outcome);
        this.#pump();
      });
    }
  }

  async #run(assignment: Assignment): Promise<WireOutcome> {
    const task = getRegisteredTask(assignment.taskName);
    if (!task) return { ok: false, error: poolWireError("UnknownTaskError", `No task '${assignment.taskName}' here.`) };
    const outcome = await runTask(task, new Message(expandMessageData(assignment.messageData)));
    return outcome.ok ? outcome : { ok: false, error: encodeWireError(outcome.error) };
  }

  #report(id: number, outcome: WireOutcome): void {
    this.#context?.report([{ id, outcome }]);
  }
}

/** Options of {@link InlineWorkerPool}: the engine's, plus how many tasks run at once. */
export interface InlineWorkerPoolOptions extends WorkerPoolOptions {
  /** @defaultValue 4 */
  capacity?: number;
}

/**
 * A `WorkerPool` (mechanism `"thread"`) whose tasks run in this process, for pool-level tests on
 * any backend. Not for production: a task that never returns cannot be stopped.
 */
export class InlineWorkerPool extends WorkerPool {
  constructor(options: InlineWorkerPoolOptions) {
    super("thread", { handleSignals: false, ...options }, new InlineExecutor(options.capacity ?? 4), 50);
  }
}
