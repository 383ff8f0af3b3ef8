import type { EventEmitter } from "node:events";
import {
  LeaseExpiredError,
  Message,
  messageLogFields,
  TaskStatus,
  UnknownTaskError,
  type Broker,
  type Logger,
  type Mechanism,
  type MessageSettler,
  type RejectedMessage,
  type SettleDisposition,
  type StatusWrite,
  type Task,
  type TaskOutcome,
} from "@alsek/core";
import type { InFlight, RunningMessage } from "./in-flight.js";
import { decodeWireError, NOT_STARTED_ERROR, type WireOutcome } from "./wire-outcome.js";
import type { WorkerPoolEvents } from "./worker-pool-events.js";

/**
 * How long a message of another mechanism's task waits before any pool may claim it again, when
 * the backend claimed it despite `skipTasks` (a backend that does not implement them).
 */
const PASS_OVER_DELAY_MS = 1_000;

/** What a {@link PoolSettlement} works with: the pool's broker, settler, log, holdings and events. */
export interface PoolSettlementContext {
  broker: Broker;
  settler: MessageSettler;
  log: Logger;
  inFlight: InFlight;
  events: EventEmitter<WorkerPoolEvents>;
  /** The pool's mechanism, for the pass-over notice. */
  mechanism: Mechanism;
}

/**
 * Everything a pool writes about a message after claiming it: status RUNNING when it starts, its
 * outcome through the shared lifecycle (`MessageSettler`: retry, DLQ, callbacks, results,
 * statuses) and the matching pool event, a hand-back to its queue, the messages it cannot run
 * (unknown task, another mechanism's, leases expired too often) and the ones the backend could
 * not decode. Every background write is tracked by {@link InFlight} so a stop waits for it.
 */
export class PoolSettlement {
  readonly #c: PoolSettlementContext;

  constructor(context: PoolSettlementContext) {
    this.#c = context;
  }

  /** Assignments a worker took up: record status RUNNING (their outcomes are settled after it). */
  markStarted(ids: readonly number[]): void {
    for (const id of ids) {
      const entry = this.#c.inFlight.get(id);
      if (!entry || entry.marked) continue;
      const { task, message } = entry;
      entry.marked = this.#c.settler.markRunning(task, message).catch((error: unknown) => {
        this.#c.log.warn("Could not record status RUNNING.", { ...messageLogFields(message), error });
      });
    }
  }

  /**
   * Settle the outcomes of one report together, each after its RUNNING and progress writes;
   * resolves once all are settled, never rejects (a failure is logged: the lease's expiry runs
   * the message again).
   */
  settleAll(done: readonly [RunningMessage, WireOutcome][]): Promise<void> {
    let all: Promise<void>;
    if (done.length === 1) {
      all = this.#settleAfterWrites(done[0]![0], done[0]![1]);
    } else {
      const settling: Promise<void>[] = new Array(done.length);
      for (let i = 0; i < done.length; i++) settling[i] = this.#settleAfterWrites(done[i]![0], done[i]![1]);
      all = Promise.all(settling).then(ignore);
    }
    this.#c.inFlight.track(all);
    return all;
  }

  #settleAfterWrites(entry: RunningMessage, outcome: WireOutcome): Promise<void> {
    const before = entry.progressWriting ? Promise.all([entry.marked, entry.progressWriting]) : entry.marked;
    return before ? before.then(() => this.#settle(entry, outcome)) : this.#settle(entry, outcome);
  }

  /** Settle one outcome and emit its event; never rejects (a failure is logged). */
  async #settle(entry: RunningMessage, wire: WireOutcome): Promise<void> {
    try {
      const { message, task } = entry;
      const { events, log } = this.#c;
      if (entry.handBack || (!wire.ok && wire.error.name === NOT_STARTED_ERROR)) {
        // It waits in its queue again: RUNNING would claim otherwise until the next attempt. A sink
        // that can prepare the status has it written with the release (the one write allowed to
        // turn RUNNING back), so no other pool's RUNNING can come before it.
        entry.trace?.end("handed-back");
        const status = task.writesStatusWithMessages() ? task.statusTracker!.prepare!(message, TaskStatus.SUBMITTED) : null;
        await this.release(message, status);
        if (status === null) {
          await task.updateStatus(message, TaskStatus.SUBMITTED).catch((error: unknown) => {
            log.warn("Could not record status SUBMITTED for a handed-back message.", { ...messageLogFields(message), error });
          });
        }
        return;
      }
      if (entry.lostState === "lost") {
        entry.trace?.end("lost");
        log.warn("Lease lost while the task ran (another consumer holds the message now); outcome dropped.", messageLogFields(message));
        return;
      }
      const outcome: TaskOutcome = wire.ok ? wire : { ok: false, error: decodeWireError(wire.error) };
      entry.trace?.settling(message);
      let disposition: SettleDisposition;
      try {
        disposition = await this.#c.settler.settle(task, message, outcome);
      } catch (error) {
        entry.trace?.end("unsettled", error);
        throw error;
      }
      entry.trace?.end(disposition, outcome.ok ? undefined : outcome.error);
      if (disposition === "succeeded") events.emit("completed", message, wire.ok ? wire.result : undefined);
      else if (disposition === "retried") events.emit("retried", message, outcome.ok ? settledError(message) : outcome.error);
      else if (disposition === "failed" || disposition === "revoked") {
        events.emit("failed", message, outcome.ok ? settledError(message) : outcome.error);
      }
    } catch (error) {
      this.#c.inFlight.logSettleError(error, entry.message);
    }
  }

  /** A claimed message of no task this process knows: dead-lettered (the settler logs why). */
  unknownTask(message: Message): void {
    this.#c.inFlight.track(
      this.#c.settler.rejectUnknown(this.#c.broker, message).then(() => {
        this.#c.events.emit("failed", message, new UnknownTaskError(`Unknown task '${message.taskName}'`));
      }),
    );
  }

  /** A claimed message whose lease expired too often: failed (or retried) without running. */
  expiredTooOften(task: Task, message: Message): void {
    this.#c.inFlight.track(
      this.#c.settler.failExpired(task, message).then((disposition) => {
        if (disposition === "failed") {
          this.#c.events.emit("failed", message, new LeaseExpiredError(message.exceptionDetails?.text ?? "Lease expired too often."));
        }
      }),
    );
  }

  /**
   * A claimed message that could not be decoded, already dead-lettered by the backend: record
   * status FAILED when its task (if its name was readable) records statuses, and tell listeners.
   * No hook runs: the task's hooks would get data that is known to be broken.
   */
  rejected(rejected: RejectedMessage, byName: ReadonlyMap<string, Task>): void {
    const message = new Message(rejected.deadLetter);
    const task = byName.get(message.taskName);
    if (task) this.#c.inFlight.track(task.updateStatus(message, TaskStatus.FAILED), message);
    this.#c.events.emit("failed", message, rejected.error);
  }

  /**
   * A message of a known task that runs on the other mechanism. The pool's claims skip those
   * tasks (`ClaimRequest.skipTasks`), so only a backend that ignores `skipTasks` hands one over.
   * Losing it to the DLQ would be wrong, and releasing it would make this pool claim it again at
   * once. Schedule it again a little later instead, unchanged (no retry consumed), so a pool of
   * its mechanism may take it (with no guarantee which pool claims it next).
   */
  passOver(message: Message): void {
    this.#c.inFlight.track(this.#passOver(message));
  }

  async #passOver(message: Message): Promise<void> {
    const lease = message.lease;
    if (!lease) return;
    const { log, mechanism } = this.#c;
    log.warn(
      `Task '${message.taskName}' runs on mechanism '${message.mechanism}', not '${mechanism}': ` +
        `message passed over for a ${message.mechanism} pool (the backend claimed it although the pool's ` +
        "claims skip that task: it does not implement ClaimRequest.skipTasks). Give each mechanism its own queue.",
      messageLogFields(message),
    );
    try {
      await this.#c.broker.backend.retry(lease, message.data, Date.now() + PASS_OVER_DELAY_MS);
    } catch (error) {
      log.error("Could not pass the message over; its lease will expire instead.", { ...messageLogFields(message), error });
    }
  }

  /** Hand `message` back to its queue untouched (with `status` in the same write, if given). */
  async release(message: Message, status: StatusWrite | null = null): Promise<void> {
    if (!message.lease) return;
    try {
      await this.#c.broker.backend.release(message.lease, status === null ? {} : { status });
    } catch (error) {
      this.#c.log.warn("Could not hand a message back; it runs again once its lease expires.", { ...messageLogFields(message), error });
    }
  }
}

function ignore(): void {}

/**
 * The error an attempt that returned a value was failed with (its result could not be stored),
 * rebuilt from the message's exception details, which the settler recorded.
 */
function settledError(message: Message): unknown {
  const details = message.exceptionDetails;
  if (!details) return undefined;
  return decodeWireError({ name: details.name, message: details.text ?? "", stack: details.traceback, props: null });
}
