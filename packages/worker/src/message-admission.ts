import {
  compactKnownFields,
  messageTracing,
  TRACE_CONTEXT_METADATA_KEY,
  type AttemptTrace,
  type ClaimTrace,
  type CompactMessageData,
  type Message,
  type MessageSettler,
  type Task,
} from "@alsek/core";
import type { Assignment } from "./assignment.js";
import type { InFlight } from "./in-flight.js";
import type { PoolSettlement } from "./pool-settlement.js";

/**
 * Decides, per claimed message, whether the pool runs it: a message of one of its tasks is held
 * in flight and becomes an {@link Assignment}; a message of another mechanism's task (which the
 * pool's claims skip, so only a backend that ignores `skipTasks` returns one) is passed
 * over, one of an unknown task dead-lettered, one whose lease expired too often failed — those
 * are settled here and never reach a worker.
 */
export class MessageAdmission {
  readonly #byName: ReadonlyMap<string, Task>;
  readonly #otherMechanism: ReadonlySet<string>;
  readonly #inFlight: InFlight;
  readonly #settlement: PoolSettlement;
  readonly #settler: MessageSettler;
  /** See `PoolExecutor.inProcess`: untraced assignments carry the message itself. */
  readonly #inProcess: boolean;

  constructor(
    byName: ReadonlyMap<string, Task>,
    otherMechanism: ReadonlySet<string>,
    inFlight: InFlight,
    settlement: PoolSettlement,
    settler: MessageSettler,
    inProcess: boolean,
  ) {
    this.#byName = byName;
    this.#otherMechanism = otherMechanism;
    this.#inFlight = inFlight;
    this.#settlement = settlement;
    this.#settler = settler;
    this.#inProcess = inProcess;
  }

  /** Hold `message` and return its assignment, or settle it here when it cannot run. */
  admit(message: Message, claim: ClaimTrace | null): Assignment | null {
    const task = this.#byName.get(message.taskName);
    if (!task && this.#otherMechanism.has(message.taskName)) {
      this.#settlement.passOver(message);
      return null;
    }
    if (!task) {
      // rejectUnknown logs the error itself; the pool keeps running (the original crashed here).
      this.#settlement.unknownTask(message);
      return null;
    }
    if (this.#settler.exceededLeaseLimit(message)) {
      this.#settlement.expiredTooOften(task, message);
      return null;
    }
    const trace = claim === null ? null : messageTracing.attempt(message, claim);
    const { id } = this.#inFlight.add(message, task, trace);
    return {
      id,
      // resolvePoolTasks refused tasks without a module URL.
      moduleUrl: task.moduleUrl!,
      taskName: task.name,
      messageData:
        trace !== null ? tracedWireData(message, trace) : this.#inProcess ? (message as unknown as CompactMessageData) : wireData(message),
      timeoutMs: message.timeout,
      // Status RUNNING only when someone records statuses: no start report otherwise.
      ...(task.statusTracker ? { notifyStart: true } : {}),
    };
  }
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
