import { nanoid } from "nanoid";
import { backoffFromSettings } from "../backoff/backoff-from-settings.js";
import type { Backoff } from "../backoff/backoff.js";
import { ExponentialBackoff } from "../backoff/exponential-backoff.js";
import type { Lease, QueuedMessage } from "../backend/types.js";
import { ValidationError } from "../errors/index.js";
import { signalOf, type AttemptAbort } from "./attempt-abort.js";
import type { ProgressReporter, ProgressValue } from "../progress/progress-update.js";
import { requireProgressValue } from "../validation/progress-rules.js";
import type {
  BackoffSettings,
  ExceptionDetails,
  LinkedLock,
  MessageData,
  Mechanism,
} from "./message-data.js";
import type { MessageTypes } from "./message-types.js";

/** What a {@link Message} is built from: any subset of {@link MessageData} plus the task name. */
export type MessageInit = Partial<MessageData> & { taskName: string };

/** The default queue of messages and tasks. */
export const DEFAULT_QUEUE = "alsek_queue";

/** The default task timeout: one hour. */
export const DEFAULT_TASK_TIMEOUT = 3_600_000;

/** Every persisted key of a message, in the original's order. */
export const MESSAGE_DATA_KEYS: readonly (keyof MessageData)[] = [
  "taskName",
  "queue",
  "args",
  "kwargs",
  "priority",
  "metadata",
  "exceptionDetails",
  "resultTtl",
  "uuid",
  "progenitorUuid",
  "retries",
  "timeout",
  "createdAt",
  "updatedAt",
  "delay",
  "previousResult",
  "previousMessageUuid",
  "callbackMessageData",
  "backoffSettings",
  "mechanism",
  "linkedLock",
];

const KEY_SET = new Set<string>(MESSAGE_DATA_KEYS);

let defaultBackoffSettings: BackoffSettings | undefined;

// `readyAt` is read on every submit; settings are immutable values (a task gives all its messages
// the same object), so the rebuilt backoff is cached per object instead of per JSON text.
const backoffs = new WeakMap<BackoffSettings, Backoff>();

function backoffOf(settings: BackoffSettings): Backoff {
  let backoff = backoffs.get(settings);
  if (backoff === undefined) {
    backoff = backoffFromSettings(settings);
    if (typeof settings === "object" && settings !== null) backoffs.set(settings, backoff);
  }
  return backoff;
}

/**
 * Where a running message's `progress()` calls go, set by the worker running it: a property under
 * a module-private symbol, set to `null` by the constructor (one object shape for every message).
 * Not a private field, which would make `Message` nominal (two copies of core in one program could
 * no longer pass messages to each other's tasks), and not a WeakMap entry, which cost every
 * message a write into a table the garbage collector has to walk.
 */
const PROGRESS_REPORTER: unique symbol = Symbol("alsek.progressReporter");

interface ProgressRoute {
  [PROGRESS_REPORTER]: ProgressReporter | null;
}

function routeOf(message: Message): ProgressRoute {
  return message as unknown as ProgressRoute;
}

/** A new unique message id (nanoid, 21 URL-safe characters). */
export function newMessageUuid(): string {
  return nanoid();
}

/**
 * One unit of work: a call of a task with its arguments, and everything the queue needs to know
 * about it. All persisted fields ({@link MessageData}) are public and mutable; {@link data} is their
 * deep copy. `lease`, `expiredLeases` and `attemptAbort` are in-memory only and never persisted.
 *
 * The type parameters are for the type checker only: `task.generate()` returns a message typed
 * with what its task returns, so `resultStore.get(message)` needs no annotation. A message built
 * or read back from a backend has them `unknown`: nothing vouches for what it holds.
 * @typeParam Result - what the task returns (awaited).
 * @typeParam Args - the task's parameter list (without a passed message).
 * @typeParam Previous - the `previousResult` it expects as a callback (`unknown`: anything).
 * @typeParam Family - every result `descendants: true` reads: its own and its callbacks'.
 */
export class Message<
  Result = unknown,
  Args extends readonly unknown[] = readonly unknown[],
  Previous = unknown,
  Family = Result,
> implements MessageData
{
  /** Type-only (never set): what {@link Message}'s type parameters describe. */
  declare readonly "~types"?: MessageTypes<Result, Args, Family>;

  taskName: string;
  queue: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  priority: number;
  metadata: Record<string, unknown> | null;
  exceptionDetails: ExceptionDetails | null;
  resultTtl: number | null;
  uuid: string;
  progenitorUuid: string | null;
  retries: number;
  timeout: number;
  createdAt: number;
  updatedAt: number;
  delay: number;
  /** The result of the message this one is a callback of (`null` until it ran). */
  previousResult: Previous;
  previousMessageUuid: string | null;
  callbackMessageData: MessageData | null;
  backoffSettings: BackoffSettings;
  mechanism: Mechanism;
  linkedLock: LinkedLock | null;

  /** The lease under which this message was claimed (set by the Consumer), or `null`. Never persisted. */
  lease: Lease | null = null;
  /** How many earlier claims of this message ended with an expired lease. Never persisted. */
  expiredLeases = 0;
  /**
   * The abort switch of the attempt running this message (set by the worker that runs it), or
   * `null` outside a run. Read {@link signal} instead. Never persisted.
   */
  attemptAbort: AttemptAbort | null = null;

  /**
   * Aborts when the pool stops this attempt — timeout, revocation, lost lease or graceful stop
   * (`signal.reason` is the `TaskTimeoutError`, `RevokedError` or `TerminationError`) — before
   * the hard stop: pass it to `fetch`, `timers/promises` or a database client, and let `finally`
   * blocks clean up. Outside a run it never aborts. Reach it with `passMessage: true`.
   */
  get signal(): AbortSignal {
    return signalOf(this.attemptAbort);
  }

  /**
   * @throws ValidationError when exactly one of `createdAt` and `updatedAt` is given.
   */
  constructor(init: MessageInit) {
    if ((init.createdAt == null) !== (init.updatedAt == null)) {
      throw new ValidationError(
        "Time data is corrupt: give both `createdAt` and `updatedAt`, or neither (then both are now).",
      );
    }
    const now = Date.now();
    this.taskName = init.taskName;
    this.queue = init.queue || DEFAULT_QUEUE;
    this.args = init.args ? [...init.args] : [];
    this.kwargs = init.kwargs ?? {};
    this.priority = init.priority ?? 0;
    this.metadata = init.metadata ?? null;
    this.exceptionDetails = init.exceptionDetails ?? null;
    this.resultTtl = init.resultTtl ?? null;
    this.uuid = init.uuid || newMessageUuid();
    this.progenitorUuid = init.progenitorUuid ?? null;
    this.retries = init.retries ?? 0;
    this.timeout = init.timeout ?? DEFAULT_TASK_TIMEOUT;
    this.createdAt = init.createdAt ?? now;
    this.updatedAt = init.updatedAt ?? now;
    this.delay = init.delay || 0;
    this.previousResult = (init.previousResult ?? null) as Previous;
    this.previousMessageUuid = init.previousMessageUuid ?? null;
    this.callbackMessageData = init.callbackMessageData ?? null;
    this.backoffSettings =
      init.backoffSettings ?? (defaultBackoffSettings ??= new ExponentialBackoff().settings);
    this.mechanism = init.mechanism ?? "process";
    this.linkedLock = init.linkedLock ?? null;
    routeOf(this)[PROGRESS_REPORTER] = null;
  }

  /**
   * Report the running attempt's progress: a number from 0 to 100 or a small plain JSON object
   * (at most `MAX_PROGRESS_BYTES`). In a pool it is stored with the message, published to
   * listeners (`StatusTracker.getProgress`/`listenProgress`, `QueueEvents`) and written at most
   * about ten times a second per message, the last value always. Outside a pool run it is only
   * checked. Give the task `passMessage: true` to receive the message.
   * @throws ValidationError for a value out of range, not plain JSON, or too large.
   */
  progress(value: ProgressValue): void {
    const checked = requireProgressValue(value);
    routeOf(this)[PROGRESS_REPORTER]?.(checked);
  }

  /** Route {@link progress} to `reporter` (the lifecycle does, while it runs this message); `null` detaches. */
  reportProgressTo(reporter: ProgressReporter | null): void {
    routeOf(this)[PROGRESS_REPORTER] = reporter;
  }

  /** A deep copy of every persisted field. `new Message(m.data).data` deep-equals `m.data`. */
  get data(): MessageData {
    const data = {} as Record<keyof MessageData, unknown>;
    for (const key of MESSAGE_DATA_KEYS) data[key] = this[key];
    return structuredClone(data) as MessageData;
  }

  /**
   * Every persisted field, shallow: nested objects (`args`, `kwargs`, `metadata`, …) are shared
   * with this message. For handing the data to something that encodes it right away (the broker
   * to its backend); use {@link data} for a copy you may keep or mutate.
   */
  shallowData(): MessageData {
    return {
      taskName: this.taskName,
      queue: this.queue,
      args: this.args,
      kwargs: this.kwargs,
      priority: this.priority,
      metadata: this.metadata,
      exceptionDetails: this.exceptionDetails,
      resultTtl: this.resultTtl,
      uuid: this.uuid,
      progenitorUuid: this.progenitorUuid,
      retries: this.retries,
      timeout: this.timeout,
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
      delay: this.delay,
      previousResult: this.previousResult,
      previousMessageUuid: this.previousMessageUuid,
      callbackMessageData: this.callbackMessageData,
      backoffSettings: this.backoffSettings,
      mechanism: this.mechanism,
      linkedLock: this.linkedLock,
    };
  }

  /** `Message(uuid='…', queue='…', task='…')`, for logs. */
  get summary(): string {
    return `Message(uuid='${this.uuid}', queue='${this.queue}', task='${this.taskName}')`;
  }

  /** The backoff delay in ms for the current number of retries. */
  get backoffDuration(): number {
    return backoffOf(this.backoffSettings).get(this.retries);
  }

  /** Epoch ms from which the message may run: `createdAt + delay + backoff(retries)`. */
  get readyAt(): number {
    return this.createdAt + this.delay + this.backoffDuration;
  }

  /** Milliseconds until {@link readyAt} (0 when ready). */
  get ttr(): number {
    return Math.max(this.readyAt - Date.now(), 0);
  }

  /** Whether {@link readyAt} has passed. */
  get ready(): boolean {
    return this.readyAt <= Date.now();
  }

  /** Uuids down the callback chain (`[callback, callback's callback, …]`), or `null` without one. */
  get descendantUuids(): string[] | null {
    if (!this.callbackMessageData) return null;
    const uuids: string[] = [];
    for (let data: MessageData | null = this.callbackMessageData; data; data = data.callbackMessageData) {
      uuids.push(data.uuid);
    }
    return uuids;
  }

  /** A new message with a deep copy of this one's data (no lease). */
  clone(): Message<Result, Args, Previous, Family> {
    return new Message(this.data) as Message<Result, Args, Previous, Family>;
  }

  /** A clone under a new uuid (or `uuid`); everything else, `createdAt` included, is copied. */
  duplicate(uuid?: string): Message<Result, Args, Previous, Family> {
    return this.clone().update({ uuid: uuid ?? newMessageUuid() });
  }

  /**
   * Set persisted fields in place (not written to the backend). Returns `this`.
   * @throws ValidationError naming a key that is not a {@link MessageData} field.
   */
  update(changes: Partial<MessageData>): this {
    for (const key of Object.keys(changes)) {
      if (!KEY_SET.has(key)) {
        throw new ValidationError(
          `Unsupported key '${key}' in Message.update(): only persisted message fields can be set ` +
            `(${MESSAGE_DATA_KEYS.join(", ")}).`,
        );
      }
    }
    Object.assign(this, changes);
    return this;
  }

  /**
   * Add keys to `metadata` (created when `null`). Never overwrites: every key must be new.
   * Returns `this`.
   * @throws ValidationError when `entries` is empty or a key already exists.
   */
  addToMetadata(entries: Record<string, unknown>): this {
    const keys = Object.keys(entries);
    if (keys.length === 0) {
      throw new ValidationError("No data provided to add to metadata: pass at least one key.");
    }
    const metadata = structuredClone(this.metadata ?? {});
    for (const key of keys) {
      if (Object.hasOwn(metadata, key)) {
        throw new ValidationError(
          `Key '${key}' already exists in the metadata of ${this.summary}: metadata keys are never ` +
            "overwritten; use a new key or message.update({ metadata }).",
        );
      }
    }
    this.metadata = { ...metadata, ...structuredClone(entries) };
    return this;
  }

  /**
   * Link a lock to this message; the broker releases it when the message is acked, retried,
   * failed or removed. Returns `this`.
   * @throws ValidationError when a lock is already linked and `override` is false.
   */
  linkLock(lock: { name: string; ownerId: string }, override = false): this {
    if (this.linkedLock && !override) {
      throw new ValidationError(
        `${this.summary} is already linked to lock '${this.linkedLock.name}'; pass override = true to replace it.`,
      );
    }
    this.linkedLock = { name: lock.name, ownerId: lock.ownerId };
    return this;
  }

  /** `retries + 1` and `updatedAt = now`. Returns `this`. */
  incrementRetries(): this {
    this.retries += 1;
    this.updatedAt = Date.now();
    return this;
  }

  /**
   * The form `Backend.submit` takes. Its `data` is {@link shallowData} (backends encode it
   * before they return), not a deep copy.
   */
  toQueued(): QueuedMessage {
    return {
      queue: this.queue,
      uuid: this.uuid,
      priority: this.priority,
      readyAt: this.readyAt,
      data: this.shallowData(),
    };
  }

  /** Same as {@link summary}. */
  toString(): string {
    return this.summary;
  }
}
