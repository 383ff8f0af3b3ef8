import { ExponentialBackoff } from "../backoff/exponential-backoff.js";
import type { Backoff } from "../backoff/backoff.js";
import { noBackoff } from "../backoff/no-backoff.js";
import type { RateLimit } from "../backend/flow-control.js";
import type { SubmitOutcome } from "../backend/types.js";
import { validateQueueName, validateTaskName } from "../validation/name-rules.js";
import type { Broker } from "../broker/broker.js";
import { MessageAlreadyExistsError, RevokedError, ValidationError } from "../errors/index.js";
import { messageLogFields } from "../logging/log-fields.js";
import { createLogger, type Logger } from "../logging/logger.js";
import { DEFAULT_QUEUE, DEFAULT_TASK_TIMEOUT, Message } from "../messages/message.js";
import { SUPPORTED_MECHANISMS, type BackoffSettings, type Mechanism } from "../messages/message-data.js";
import type { ResultSink, StatusSink } from "../status/result-and-status-sinks.js";
import { TaskStatus } from "../status/task-status.js";
import {
  requireBackoffSettings,
  requireDelay,
  requireMaxRetries,
  requirePriority,
  requireResultTtl,
  requireTaskNameGiven,
  requireTimeout,
} from "../validation/task-option-rules.js";
import { requireRateLimit } from "../validation/flow-control-rules.js";
import { CallableInstance } from "./callable.js";
import { callbackDataOf } from "./callbacks.js";
import { callerModuleUrl } from "./caller-module-url.js";
import { messageTracing } from "../tracing/message-tracing.js";
import { tracingSettled } from "../tracing/open-telemetry.js";
import { registerTask } from "./registry.js";
import type {
  CallbackOption,
  CheckedOptionsList,
  GenerateCommonOptions,
  GenerateOptions,
  GenerateParams,
  GeneratedMessage,
  TaskArgs,
  TaskConstructorOptions,
  TaskFunction,
  TaskResult,
} from "./task-types.js";

/** How long a revocation flag is kept: 7 days. */
export const REVOCATION_TTL = 7 * 24 * 3_600_000;

/** The keyed-value key of a message's revocation flag. */
export function revocationKey(message: { queue: string; uuid: string }): string {
  return `revoked:${message.queue}:${message.uuid}`;
}

/** The callbacks given in a union of generate options (`never` when none has one). */
type CallbacksOf<O> = O extends unknown ? ("callback" extends keyof O ? O["callback"] : never) : never;

/** A task with a call signature: calling it calls the wrapped function. */
// biome-ignore lint/correctness/noUnusedVariables: `P` must match the class this interface merges with.
export interface Task<F extends TaskFunction = TaskFunction, P extends boolean = boolean> {
  // biome-ignore lint/style/useShorthandFunctionType: a merged interface, not a function type.
  (...args: Parameters<F>): ReturnType<F>;
}

/**
 * A function that can also be queued. Calling the task calls the function; `generate()` builds a
 * message for it and submits it to the broker. Subclass it (and pass it as `baseTask`) to
 * override the hooks.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the call signature above is intended.
export class Task<F extends TaskFunction = TaskFunction, P extends boolean = boolean> extends CallableInstance {
  /** The task's name, unique per process. */
  declare readonly name: string;
  /** The wrapped function. */
  readonly fn: F;
  /** The broker messages are submitted to. */
  readonly broker: Broker;
  /** Default queue of the task's messages. */
  readonly queue: string;
  /** Milliseconds a run may take. */
  readonly timeout: number;
  /** Retries after the first attempt (`null` = unlimited). */
  readonly maxRetries: number | null;
  /** Delay between attempts. */
  readonly backoff: Backoff;
  /** Where a pool runs it. */
  readonly mechanism: Mechanism;
  /** Where results are stored, or `null`. */
  readonly resultStore: ResultSink | null;
  /** Where statuses are recorded, or `null`. */
  readonly statusTracker: StatusSink | null;
  /** Whether the running message is passed as the last argument. */
  readonly passMessage: P;
  /** The task's own rate limit in its queue (see {@link TaskOptions.rateLimit}), or `null`. */
  readonly rateLimit: RateLimit | null;
  /** The `file://` URL of the module that defined the task (workers import it), or `null`. */
  readonly moduleUrl: string | null;

  /** Logs of the task, to its broker's `logger` or the process-wide one. */
  readonly #log: Logger;
  /** Pending `defer()` calls: each one makes one `generate()` skip submission. */
  #deferrals = 0;
  /** `backoff.settings`, built once: every message of the task shares this immutable value. */
  #backoffSettings: BackoffSettings | null = null;

  /**
   * Prefer `task(broker, options, fn)`. Registers the task in the process-wide registry.
   * @throws ValidationError for invalid options.
   */
  constructor(broker: Broker, fn: F, options: TaskConstructorOptions = {}) {
    if (typeof fn !== "function") throw new ValidationError("Task: `fn` must be a function.");
    const run = function (this: unknown, ...args: unknown[]): unknown {
      return (fn as unknown as (...a: unknown[]) => unknown).apply(this, args);
    };
    super(run);
    const name = requireTaskNameGiven(options.name, fn.name);
    Object.defineProperty(this, "name", { value: validateTaskName(name), enumerable: true, configurable: true });
    this.fn = fn;
    this.broker = broker;
    this.#log = createLogger("alsek.task", () => this.broker.logger);
    this.queue = validateQueueName(options.queue ?? DEFAULT_QUEUE);
    this.timeout = requireTimeout(`Task '${name}'`, "timeout", options.timeout ?? DEFAULT_TASK_TIMEOUT);
    this.maxRetries = requireMaxRetries(`Task '${name}'`, options.maxRetries === undefined ? 3 : options.maxRetries);
    // Duck-typed, not instanceof: a backoff built by another copy of core in the process is fine.
    const given = options.backoff as Partial<Backoff> | null | undefined;
    if (given != null && (typeof given.get !== "function" || typeof given.settings !== "object")) {
      throw new ValidationError(
        `Task '${name}': \`backoff\` must be a Backoff (ConstantBackoff, LinearBackoff, ExponentialBackoff) or null for none.`,
      );
    }
    this.backoff = options.backoff === undefined ? new ExponentialBackoff() : (options.backoff ?? noBackoff());
    requireBackoffSettings(`Task '${name}'`, this.backoff.settings);
    const mechanism = options.mechanism ?? "process";
    if (!SUPPORTED_MECHANISMS.includes(mechanism)) {
      throw new ValidationError(
        `Task '${name}': unsupported mechanism '${String(mechanism)}'; use ${SUPPORTED_MECHANISMS.map((m) => `'${m}'`).join(" or ")}.`,
      );
    }
    this.mechanism = mechanism;
    this.resultStore = options.resultStore ?? null;
    this.statusTracker = options.statusTracker ?? null;
    this.passMessage = (options.passMessage ?? false) as P;
    this.rateLimit = options.rateLimit == null ? null : requireRateLimit(`Task '${name}'`, options.rateLimit);
    this.moduleUrl = options.moduleUrl !== undefined ? options.moduleUrl : callerModuleUrl(new.target);
    registerTask(this as unknown as Task);
  }

  /** Whether this is a trigger task (its messages cannot be callbacks). */
  get isTrigger(): boolean {
    return false;
  }

  /** Whether the next `generate()` skips submission. */
  get deferred(): boolean {
    return this.#deferrals > 0;
  }

  /**
   * Make the next `generate()` build the message without submitting it. Returns `this`.
   * Each call defers one `generate()`, so nesting works with one task:
   * `t.defer().generate({ callback: await t.defer().generate() })` submits neither (the
   * original's single flag was used up by the inner call, and the outer message was submitted).
   */
  defer(): this {
    this.#deferrals += 1;
    return this;
  }

  /** Leave deferred mode (every pending `defer()`). Returns `this`. */
  cancelDefer(): this {
    this.#deferrals = 0;
    return this;
  }

  /** Use up one pending `defer()`; whether there was one. */
  #takeDeferral(): boolean {
    if (this.#deferrals === 0) return false;
    this.#deferrals -= 1;
    return true;
  }

  /** Build a message from `options` (validated) without submitting it. */
  protected buildMessage(options: GenerateCommonOptions & { args?: readonly unknown[]; kwargs?: object }): Message {
    const owner = `${this.name}.generate()`;
    if (options.resultTtl != null && !this.resultStore) {
      throw new ValidationError(
        `${owner}: \`resultTtl\` needs a result store; give the task a \`resultStore\` option or drop \`resultTtl\`.`,
      );
    }
    const priority = requirePriority(owner, options.priority ?? 0);
    const delay = requireDelay(owner, options.delay ?? 0);
    if (options.resultTtl != null) requireResultTtl(owner, options.resultTtl);
    if (options.timeoutOverride != null) requireTimeout(owner, "timeoutOverride", options.timeoutOverride);
    if (options.args !== undefined && !Array.isArray(options.args)) {
      throw new ValidationError(`${owner}: \`args\` must be an array.`);
    }
    if (options.kwargs != null && (typeof options.kwargs !== "object" || Array.isArray(options.kwargs))) {
      throw new ValidationError(`${owner}: \`kwargs\` must be a plain object.`);
    }
    if (options.uuid !== undefined && (typeof options.uuid !== "string" || options.uuid.length === 0)) {
      throw new ValidationError(`${owner}: \`uuid\` must be a non-empty string.`);
    }
    return new Message({
      taskName: this.name,
      queue: validateQueueName(options.queue ?? this.queue),
      args: options.args ? [...options.args] : [],
      kwargs: { ...(options.kwargs ?? {}) } as Record<string, unknown>,
      priority,
      metadata: options.metadata ?? null,
      resultTtl: options.resultTtl ?? null,
      ...(options.uuid ? { uuid: options.uuid } : {}),
      timeout: options.timeoutOverride ?? this.timeout,
      delay,
      callbackMessageData: options.callback ? callbackDataOf(options.callback) : null,
      backoffSettings: (this.#backoffSettings ??= this.backoff.settings),
      mechanism: this.mechanism,
    });
  }

  /**
   * Build a message and submit it (unless deferred or `submit: false`); on submission the status
   * becomes SUBMITTED and `onSubmit` runs. Deferred mode ends with this call. The message is
   * typed with the function's result, so `resultStore.get(message)` needs no annotation; a
   * `callback` must accept that result as its `previousResult`.
   * @typeParam C - the `callback` given (inferred), whose results join the message's family.
   * @throws ValidationError for invalid options; MessageAlreadyExistsError for a uuid in use.
   */
  async generate<const C extends CallbackOption | null = null>(
    ...[options]: GenerateParams<TaskArgs<F, P>, TaskResult<F>, C>
  ): Promise<GeneratedMessage<F, P, C>> {
    const deferred = this.#takeDeferral();
    const opts = (options ?? {}) as GenerateCommonOptions & { args?: readonly unknown[]; kwargs?: object };
    const message = this.buildMessage(opts);
    if (!deferred && opts.submit !== false) await this.submitMessages([message]);
    return message as GeneratedMessage<F, P, C>;
  }

  /**
   * Build many messages and submit them in one backend call (unless deferred). Returns them in
   * order, typed like {@link Task.generate}'s; each `callback` is checked against the result.
   * @typeParam L - the options given (inferred), whose callbacks' results join the family.
   * @throws MessageAlreadyExistsError (after submitting the others) when uuids were in use.
   */
  async generateMany<const L extends readonly GenerateOptions<TaskArgs<F, P>>[]>(
    list: L & CheckedOptionsList<L, TaskResult<F>>,
  ): Promise<GeneratedMessage<F, P, CallbacksOf<L[number]>>[]> {
    const deferred = this.#takeDeferral();
    const all = list as readonly (GenerateCommonOptions & { args?: readonly unknown[]; kwargs?: object })[];
    const messages = all.map((options) => this.buildMessage(options));
    const toSubmit = deferred ? [] : messages.filter((_, i) => all[i]?.submit !== false);
    await this.submitMessages(toSubmit);
    return messages as GeneratedMessage<F, P, CallbacksOf<L[number]>>[];
  }

  /**
   * Submit, record SUBMITTED and run `onSubmit`, for messages of this task. With a status sink
   * that can `prepare` a status, SUBMITTED is written by the backend in the same atomic step as
   * the message, so a pool already waiting cannot write RUNNING before it.
   */
  protected async submitMessages(messages: readonly Message[]): Promise<void> {
    if (messages.length === 0) return;
    const sink = this.statusTracker;
    const atomic = this.writesStatusWithMessages();
    const statuses = atomic ? messages.map((message) => sink!.prepare!(message, TaskStatus.SUBMITTED)) : undefined;
    if (!tracingSettled()) await messageTracing.load();
    const published = messageTracing.publishing(messages);
    let outcomes: SubmitOutcome[];
    try {
      outcomes =
        messages.length === 1
          ? [await this.broker.submit(messages[0] as Message, statuses ? { status: statuses[0]! } : {})]
          : await this.broker.submitMany(messages, statuses);
    } catch (error) {
      published?.(error);
      throw error;
    }
    published?.();
    // Nothing to record and no hook: skip the per-message async work (the common producer path).
    const quiet =
      (atomic || !this.statusTracker) &&
      this.onSubmit === Task.prototype.onSubmit &&
      this.updateStatus === Task.prototype.updateStatus;
    if (quiet && !outcomes.includes("conflict")) return;
    const conflicts: Message[] = [];
    await Promise.all(
      messages.map(async (message, i) => {
        if (outcomes[i] === "conflict") {
          conflicts.push(message);
          return;
        }
        if (!atomic) await this.updateStatus(message, TaskStatus.SUBMITTED);
        await this.callHook("onSubmit", () => this.onSubmit(message), message);
      }),
    );
    if (conflicts.length > 0) {
      throw new MessageAlreadyExistsError(
        `${conflicts.length} message(s) already exist with different content ` +
          `(${conflicts.map((m) => m.uuid).join(", ")}); the others were submitted. Use new uuids.`,
      );
    }
  }

  /**
   * Whether the broker's backend writes this task's statuses together with message writes
   * (SUBMITTED with the submit, a hand-back's SUBMITTED with the release): the status sink can
   * `prepare` a status, stores statuses on the broker's backend, and `updateStatus` is not
   * overridden (an override is called for every status instead).
   */
  writesStatusWithMessages(): boolean {
    const sink = this.statusTracker;
    return (
      sink?.prepare !== undefined && sink.backend === this.broker.backend && this.updateStatus === Task.prototype.updateStatus
    );
  }

  /** Record `status` on the task's status tracker, if any. Errors are logged, not thrown. */
  async updateStatus(message: Message, status: TaskStatus, details?: unknown): Promise<void> {
    if (!this.statusTracker) return;
    try {
      await this.statusTracker.set(message, status, details);
    } catch (error) {
      this.#log.error("Could not record status", { ...messageLogFields(message), status: TaskStatus[status], error });
    }
  }

  /** Run a hook, logging (not throwing) its errors. Returns the hook's value, or `undefined` on error. */
  protected async callHook<T>(hook: string, call: () => T | Promise<T>, message: Message): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      this.#log.error(`Hook ${hook} failed`, { ...messageLogFields(message), error });
      return undefined;
    }
  }

  /**
   * Stop a message wherever it is: flag it as revoked (a running copy is stopped by its pool
   * within about a second) and, unless it already finished, fail it to the DLQ with a
   * `RevokedError`. Never retried.
   */
  async revoke(message: Message): Promise<void> {
    const backend = this.broker.backend;
    await backend.setValue(revocationKey(message), true, { ttlMs: REVOCATION_TTL });
    const stored = await backend.getMessage({ queue: message.queue, uuid: message.uuid });
    if (!stored) {
      this.#log.info("Revoked message is not queued any more (already finished)", messageLogFields(message));
      return;
    }
    const current = new Message(stored);
    const error = new RevokedError(`Task '${this.name}' was revoked.`);
    current.exceptionDetails = { name: error.name, text: error.message, traceback: null };
    if ((await this.broker.fail(current)) === "ok") {
      message.exceptionDetails = current.exceptionDetails;
      await this.updateStatus(current, TaskStatus.FAILED);
    }
  }

  /** Whether the message was revoked. */
  async isRevoked(message: Message): Promise<boolean> {
    return this.broker.backend.hasValue(revocationKey(message));
  }

  // ---- hooks (override in a subclass given as `baseTask`) -------------------------------------

  /** Runs in the worker before the function; an error here fails the attempt. */
  preOp(_message: Message): void | Promise<void> {}

  /** Calls the function: `fn(...args, kwargs?, message?)`. */
  op(message: Message): unknown {
    const args: unknown[] = [...message.args];
    if (Object.keys(message.kwargs).length > 0) args.push(message.kwargs);
    if (this.passMessage) args.push(message);
    return (this.fn as unknown as (...a: unknown[]) => unknown)(...args);
  }

  /** Runs in the worker after each attempt (`result` is `null` when it failed); errors are logged. */
  postOp(_message: Message, _result: unknown): void | Promise<void> {}

  /**
   * Whether a failed attempt is retried. Default: while `retries < maxRetries` (`null`: always).
   * Revoked messages are never retried, whatever this returns.
   */
  doRetry(message: Message, _error: unknown): boolean | Promise<boolean> {
    return this.maxRetries === null || message.retries < this.maxRetries;
  }

  /** Whether the message's callback is submitted after this result. @defaultValue true */
  doCallback(_message: Message, _result: unknown): boolean | Promise<boolean> {
    return true;
  }

  /** After the message was submitted by `generate()` or a trigger. */
  onSubmit(_message: Message): void | Promise<void> {}

  /** Before a failed attempt is scheduled again. */
  onRetry(_message: Message, _error: unknown): void | Promise<void> {}

  /** Before a message whose retries are exhausted goes to the DLQ. */
  onFailure(_message: Message, _error: unknown): void | Promise<void> {}

  /** After a successful message was acked. */
  onSuccess(_message: Message, _result: unknown): void | Promise<void> {}

  /** When a finished attempt turns out to belong to a revoked message (`error` null on success). */
  onRevocation(_message: Message, _error: unknown, _result: unknown): void | Promise<void> {}
}
