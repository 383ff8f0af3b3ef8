import type { Backoff } from "../backoff/backoff.js";
import type { Message } from "../messages/message.js";
import type { Mechanism } from "../messages/message-data.js";
import type { ResultSink, StatusSink } from "../status/result-and-status-sinks.js";
import type { Trigger } from "../triggers/trigger.js";

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
      : ParametersOf<F>
    : ParametersOf<F>
  : ParametersOf<F>;

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
  callback?: Message | readonly Message[] | null;
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
 * `kwargs` is passed as one trailing object argument (`fn(...args, kwargs)`).
 */
export type GenerateOptions<A extends readonly unknown[]> = GenerateCommonOptions &
  (
    | ([] extends A ? { args?: A; kwargs?: FreeKwargs<A> } : { args: A; kwargs?: FreeKwargs<A> })
    | KwargsVariant<A>
  );

/** The parameter list of `generate()`: options are required when the function has required parameters. */
export type GenerateParams<A extends readonly unknown[]> = [] extends A
  ? [options?: GenerateOptions<A>]
  : [options: GenerateOptions<A>];

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
  /** Where results are stored (`ResultStore` from `@alsek/results`). @defaultValue null */
  resultStore?: ResultSink | null;
  /** Where statuses are recorded (`StatusTracker` from `@alsek/results`). @defaultValue null */
  statusTracker?: StatusSink | null;
  /** Pass the running `Message` as the function's last argument. @defaultValue false */
  passMessage?: boolean;
}

/** Options of the `Task` constructor: {@link TaskOptions} plus what `task()` fills in. */
export interface TaskConstructorOptions extends TaskOptions {
  /** The `file://` URL of the defining module. @defaultValue taken from the call stack */
  moduleUrl?: string | null;
}
