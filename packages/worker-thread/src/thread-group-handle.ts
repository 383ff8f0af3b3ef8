import { ChurnMap } from "@alsek/core/collections";
import {
  NOT_STARTED_ERROR,
  poolWireError,
  type Assignment,
  type OutcomeReport,
  type ProgressReport,
  type WireError,
} from "@alsek/worker";

/** Where a group's outcomes and start reports go. */
export interface GroupSink {
  report(reports: readonly OutcomeReport[]): void;
  started(ids: readonly number[]): void;
  /** Progress of a task running in the group. */
  progress(report: ProgressReport): void;
  /** The group could not start (its assignments were reported as not started first). */
  failed(error: Error): void;
}

/**
 * The pool's handle on one thread group, wherever it runs: it tracks the assignments in flight
 * there (running, queued or on their way), so each is reported exactly once, even when the group
 * dies. {@link ProcessGroup} runs the group in a child process, {@link InProcessGroup} in the
 * pool's own process.
 */
export abstract class GroupHandle {
  /** Ids of the assignments in the group (a churn-safe set of ids: see `ChurnMap`). */
  readonly #inFlight = new ChurnMap<true>();
  readonly #sink: GroupSink;
  /** Epoch ms since when the group has had nothing to run. */
  idleSince = Date.now();
  /** Set once the group was asked to stop; it takes no more work. */
  retiring = false;

  protected constructor(sink: GroupSink) {
    this.#sink = sink;
  }

  /** Process id the group's threads run in. */
  abstract get pid(): number | undefined;

  /** Whether the group is gone (its process exited, or it was stopped). */
  abstract get exited(): boolean;

  /** Assignments running, queued or on their way in this group. */
  get load(): number {
    return this.#inFlight.size;
  }

  /** Whether this group runs assignment `id`. */
  has(id: number): boolean {
    return this.#inFlight.has(id);
  }

  /** Hand `assignments` to the group; their outcomes go to the sink. */
  run(assignments: Assignment[]): void {
    for (const assignment of assignments) this.#inFlight.set(assignment.id, true);
    if (this.exited) {
      const error = poolWireError("WorkerCrashedError", "The process group exited before the task could start.");
      this.settled(assignments.map(({ id }) => ({ id, outcome: { ok: false, error } })));
      return;
    }
    this.send(assignments);
  }

  /** Stop assignment `id` (its thread is terminated, or it leaves the queue); it is reported with `reason`. */
  abstract cancel(id: number, reason: WireError): void;

  /** Report every assignment queued in the group (not started) with `reason`, without running it. */
  abstract dropQueued(reason: WireError): void;

  /** Stop the group: running tasks are reported with `reason`. */
  abstract stop(reason: WireError): Promise<void>;

  /** End the group now, without waiting for anything (the process is about to exit). */
  abstract kill(): void;

  /** Deliver `assignments` to the group itself. */
  protected abstract send(assignments: Assignment[]): void;

  /** Outcomes from the group: those still in flight go to the sink, once each. */
  protected settled(reports: readonly OutcomeReport[]): void {
    let known: OutcomeReport[] | null = null;
    for (const report of reports) {
      if (this.#inFlight.delete(report.id)) (known ??= []).push(report);
    }
    if (!known) return;
    if (this.#inFlight.size === 0) this.idleSince = Date.now();
    this.#sink.report(known);
  }

  /** A progress report from the group: passed on while its assignment is in flight. */
  protected progress(report: ProgressReport): void {
    if (this.#inFlight.has(report.id)) this.#sink.progress(report);
  }

  /** Start reports from the group. */
  protected started(ids: readonly number[]): void {
    if (ids.length > 0) this.#sink.started(ids);
  }

  /** One of the group's workers could not start (it reported what that worker held already). */
  protected startFailed(error: Error): void {
    this.#sink.failed(error);
  }

  /** The group could not start: what it held goes back as not started, then the sink hears why. */
  protected failToStart(error: Error): void {
    this.failInFlight(poolWireError(NOT_STARTED_ERROR, "The process group could not start; the task was handed back to its queue."));
    this.#sink.failed(error);
  }

  /** The group died: every assignment still in flight fails with `error`. */
  protected failInFlight(error: WireError): void {
    this.settled([...this.#inFlight.keys()].map((id) => ({ id, outcome: { ok: false, error } })));
  }
}
