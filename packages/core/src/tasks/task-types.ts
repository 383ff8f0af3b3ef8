import type { RateLimit } from "../backend/flow-control.js";
import type { Backoff } from "../backoff/backoff.js";
import type { Message } from "../messages/message.js";
import type { FamilyResultOf, PreviousResultOf, ResultOf } from "../messages/message-types.js";
import type { Mechanism } from "../messages/message-data.js";
import type { ResultSink, StatusSink } from "../status/result-and-status-sinks.js";
import type { Trigger } from "../triggers/trigger.js";

/** Where a trigger task's schedule lives; see {@link TaskOptions.scheduling}. */
export type TriggerScheduling = "shared" | "process";

/** Any function a task can wrap. */
export type TaskFunction = (...args: never[]) => unknown;

// The generic `Task` (F = TaskFunction) has `never[]` parameters; widen them to `unknown[]` so that
// every concrete task is assignable to `Task` (its `generate` then accepts any arguments).
type ParametersOf<F extends TaskFunction> = number extends Parameters<F>["length"]
  ? Parameters<F> extends never[]
    ? unknown[]
    : Parameters<F>
  : Parameters<F>;

/** The parameters of `F`, without a trailing `Message` parameter when `P` (passMessage) is true. */
export type TaskArgs<F extends TaskFunction, P extends boolean> = P extends true
  ? ParametersOf<F> extends [...infer Head, infer Last]
    ? Message extends Last
      ? Head
      : Last extends Message
        ? Head
        : ParametersOf<F>
    : ParametersOf<F>
  : ParametersOf<F>;

/** What a task running `F` stores as its result: `F`'s return value, awaited. */
export type TaskResult<F extends TaskFunction> = Awaited<ReturnType<F>>;

/**
 * The `previousResult` a task's messages expect as callbacks: with `passMessage`, what the
 * function's message parameter declares (`message: Message<unknown, [], number>` expects a
 * number); `unknown` (anything) otherwise.
 */
export type TaskPrevious<F extends TaskFunction, P extends boolean> = P extends true
  ? Parameters<F> extends [...unknown[], infer Last]
    ? Last extends Message
      ? PreviousResultOf<Last>
      : unknown
    : unknown
  : unknown;

/** What the `callback` option takes: a message, or an array of messages chained in order. */
export type CallbackOption = Message | readonly Message[];

/** Whether the callback chain `L` (an array) fits after a result of type `R`, item by item. */
type ChainFits<L, R> = L extends readonly [infer Head, ...infer Tail]
  ? [R] extends [PreviousResultOf<Head>]
    ? ChainFits<Tail, ResultOf<Head>>
    : false
  : L extends readonly []
    ? true
    : L extends readonly (infer Item)[]
      ? [R | ResultOf<Item>] extends [PreviousResultOf<Item>]
        ? true
        : false
      : true;

/**
 * The callback `C` when it accepts a result of type `R` as its `previousResult` (an array: each
 * item accepts the one before it), else the message type it should have been, so the mismatch is
 * reported where the callback is given.
 */
export type CheckedCallback<C, R> = C extends null | undefined
  ? C
  : (C extends readonly unknown[] ? ChainFits<C, R> : [R] extends [PreviousResultOf<C>] ? true : false) extends true
    ? C
    : Message<unknown, readonly unknown[], R, unknown>;

/**
 * A list of `generate()` options `L` whose every `callback` accepts a result of type `R` (see
 * {@link CheckedCallback}); an item whose callback does not is given the callback type it needed.
 */
export type CheckedOptionsList<L extends readonly unknown[], R> = {
  [K in keyof L]: L[K] extends { callback?: infer C }
    ? CheckedCallback<C, R> extends C
      ? L[K]
      : Omit<L[K], "callback"> & { callback?: CheckedCallback<C, R> }
    : L[K];
};

/** Every result a callback option `C` adds to a family (`never` without a callback). */
export type CallbackFamily<C> = C extends null | undefined
  ? never
  : C extends readonly (infer Item)[]
    ? FamilyResultOf<Item>
    : FamilyResultOf<C>;

/**
 * The message `task.generate()` returns for a task running `F`: typed with its result, its
 * parameters, the `previousResult` it expects, and its family's results (own plus callback `C`'s).
 */
export type GeneratedMessage<F extends TaskFunction, P extends boolean, C = null> = Message<
  TaskResult<F>,
  TaskArgs<F, P>,
  TaskPrevious<F, P>,
  TaskResult<F> | CallbackFamily<C>
>;

/** Options of `generate()` that do not depend on the task's parameters. */
export interface GenerateCommonOptions {
  /**
   * Integer from 0 to 2_097_151; lower runs first within a queue.
   * @defaultValue 0
   */
  priority?: number;
  /**
   * Milliseconds to wait before the message may run.
   * @defaultValue 0
   */
  delay?: number;
  /** Free-form data stored with the message. @defaultValue null */
  metadata?: Record<string, unknown> | null;
  /** Expiry of the stored result in ms; needs a task `resultStore`. @defaultValue null (kept until read) */
  resultTtl?: number | null;
  /** The message's uuid. @defaultValue a new nanoid */
  uuid?: string;
  /** This message's timeout in ms instead of the task's. @defaultValue the task's `timeout` */
  timeoutOverride?: number | null;
  /** Queue of this message instead of the task's. @defaultValue the task's `queue` */
  queue?: string;
  /**
   * A message to run after this one succeeds (receiving its result as `previousResult`), or an
   * array of messages chained in order. Build them with `submit: false` or `task.defer()`.
   * @defaultValue null
   */
  callback?: CallbackOption | null;
  /**
   * Submit the message to the broker; `false` only builds it.
   * @defaultValue true
   */
  submit?: boolean;
}

// Functions with a fixed parameter list take kwargs only through their last object parameter
// (the variant below); variadic ones accept any kwargs.
type FreeKwargs<A extends readonly unknown[]> = number extends A["length"]
  ? Record<string, unknown>
  : Record<string, never>;

type KwargsVariant<A extends readonly unknown[]> = A extends readonly [...infer Head, infer Last]
  ? Last extends object
    ? { args?: Head; kwargs: Last }
    : never
  : never;

/**
 * Options of `task.generate()`. `args` is checked against the task function's parameters;
 * `kwargs` is passed as one trailing object argument (`fn(...args, kwargs)`); `callback` must
 * accept a result of type `R` as its `previousResult` (an array: each item the one before it).
 */
export type GenerateOptions<A extends readonly unknown[], R = unknown, C = CallbackOption | null> = Omit<
  GenerateCommonOptions,
  "callback"
> & {
  /** @see {@link GenerateCommonOptions.callback} */
  callback?: C & CheckedCallback<C, R>;
} & (
    | ([] extends A ? { args?: A; kwargs?: FreeKwargs<A> } : { args: A; kwargs?: FreeKwargs<A> })
    | KwargsVariant<A>
  );

/** The parameter list of `generate()`: options are required when the function has required parameters. */
export type GenerateParams<A extends readonly unknown[], R = unknown, C = CallbackOption | null> = [] extends A
  ? [options?: GenerateOptions<A, R, C>]
  : [options: GenerateOptions<A, R, C>];

/** Options of `task()` and of the `Task` constructor. */
export interface TaskOptions {
  /** Task name, unique per process. @defaultValue the function's name */
  name?: string;
  /** Queue of the task's messages. @defaultValue "alsek_queue" */
  queue?: string;
  /** Milliseconds a run may take before it is stopped: an integer from 1 to 2_147_483_647. @defaultValue 3_600_000 */
  timeout?: number;
  /** Retries after the first attempt: an integer ≥ 0 (0 = never), or `null` = unlimited. @defaultValue 3 */
  maxRetries?: number | null;
  /** Delay between attempts; `null` = none. @defaultValue new ExponentialBackoff() */
  backoff?: Backoff | null;
  /** Where a pool runs it. @defaultValue "process" */
  mechanism?: Mechanism;
  /** Run on a schedule (makes a `TriggerTask`; the function must take no parameters). */
  trigger?: Trigger;
  /**
   * Where a trigger's schedule lives: `"shared"` stores it in the backend, and every process that
   * calls `generate()` takes part, each slot fired once across them; `"process"` runs a timer in
   * each such process (each fires). Triggers without a `spec` always run per process.
   * @defaultValue "shared"
   */
  scheduling?: TriggerScheduling;
  /** Where results are stored (`ResultStore` from `@alsek/results`). @defaultValue null */
  resultStore?: ResultSink | null;
  /** Where statuses are recorded (`StatusTracker` from `@alsek/results`). @defaultValue null */
  statusTracker?: StatusSink | null;
  /** Pass the running `Message` as the function's last argument. @defaultValue false */
  passMessage?: boolean;
  /**
   * At most `max` of this task's messages start per `durationMs` in the task's queue, across every
   * pool on every host. Pools that run the task store it in the backend when they start (as
   * `broker.setRateLimit(queue, limit, { task })` would), and the claim enforces it: a message of
   * the task at its limit is postponed until the window frees, and messages of other tasks behind
   * it run. Removing the option does not remove the stored limit: call
   * `broker.clearRateLimit(queue, { task })`.
   * @defaultValue null (no limit of its own; the queue's limit, if any, still applies)
   */
  rateLimit?: RateLimit | null;
}

/** Options of the `Task` constructor: {@link TaskOptions} plus what `task()` fills in. */
export interface TaskConstructorOptions extends TaskOptions {
  /** The `file://` URL of the defining module. @defaultValue taken from the call stack */
  moduleUrl?: string | null;
}
