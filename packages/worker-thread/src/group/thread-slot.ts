import { Worker } from "node:worker_threads";
import { poolWireError, type Assignment, type OutcomeReport, type WireError, type WireOutcome } from "@alsek/core";
import type { FromThread, ToThread } from "./protocol.js";

interface Running {
  assignment: Assignment;
  /** Armed when the thread reports the task started (its module loaded). */
  timer: NodeJS.Timeout | null;
  /** Outcome received but held until the thread exits (completeOnlyOnThreadExit). */
  held: WireOutcome | null;
  /** Set once the thread is being stopped on purpose; the outcome to report then. */
  stopReason: WireError | null;
}

/**
 * One worker thread of a process group, reused from task to task. A thread that timed out, was
 * cancelled or crashed is discarded and a fresh one starts with the next task.
 */
export class ThreadSlot {
  #worker: Worker | null = null;
  #running: Running | null = null;
  readonly #entry: string;
  readonly #exitAfterTask: boolean;
  readonly #report: (report: OutcomeReport) => void;

  constructor(entry: string, exitAfterTask: boolean, report: (report: OutcomeReport) => void) {
    this.#entry = entry;
    this.#exitAfterTask = exitAfterTask;
    this.#report = report;
  }

  /** Whether the slot can take a task. */
  get idle(): boolean {
    return this.#running === null;
  }

  /** Id of the running assignment, if any. */
  get runningId(): number | null {
    return this.#running?.assignment.id ?? null;
  }

  /** Start `assignment` on this slot's thread (starting the thread if needed). */
  run(assignment: Assignment): void {
    const worker = (this.#worker ??= this.#startWorker());
    this.#running = { assignment, timer: null, held: null, stopReason: null };
    worker.postMessage({ type: "run", assignment } satisfies ToThread);
  }

  /** Terminate the thread now; the running task is reported with `reason`. */
  stop(reason: WireError): void {
    const running = this.#running;
    if (running && running.stopReason === null) running.stopReason = reason;
    void this.#worker?.terminate();
  }

  #startWorker(): Worker {
    const worker = new Worker(this.#entry, { workerData: { exitAfterTask: this.#exitAfterTask } });
    worker.on("message", (message: FromThread) => {
      const running = this.#running;
      if (!running || running.assignment.id !== message.id || running.stopReason) return;
      if (message.type === "started") {
        running.timer = setTimeout(() => {
          this.stop(
            poolWireError(
              "TaskTimeoutError",
              `Task '${running.assignment.taskName}' exceeded its timeout of ${running.assignment.timeoutMs} ms; ` +
                "its thread was terminated.",
            ),
          );
        }, running.assignment.timeoutMs);
        return;
      }
      if (this.#exitAfterTask) {
        running.held = message.outcome;
        return;
      }
      this.#finish(message.outcome);
    });
    // An uncaught error ends the thread; its 'exit' follows and reports the crash.
    worker.on("error", (error) => {
      const running = this.#running;
      if (running && !running.stopReason && !running.held) {
        running.stopReason = poolWireError(
          "WorkerCrashedError",
          `The worker thread running task '${running.assignment.taskName}' crashed: ${error.message}`,
        );
      }
    });
    worker.on("exit", (code) => {
      if (this.#worker === worker) this.#worker = null;
      const running = this.#running;
      if (!running) return;
      if (running.stopReason) this.#finish({ ok: false, error: running.stopReason });
      else if (running.held) this.#finish(running.held);
      else {
        this.#finish({
          ok: false,
          error: poolWireError(
            "WorkerCrashedError",
            `The worker thread running task '${running.assignment.taskName}' exited (code ${code}) before it finished.`,
          ),
        });
      }
    });
    return worker;
  }

  #finish(outcome: WireOutcome): void {
    const running = this.#running;
    if (!running) return;
    if (running.timer) clearTimeout(running.timer);
    this.#running = null;
    this.#report({ id: running.assignment.id, outcome });
  }
}
