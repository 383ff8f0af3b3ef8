import { messageLogFields } from "../logging/log-fields.js";
import { createLogger } from "../logging/logger.js";
import type { Message } from "../messages/message.js";
import { Task } from "../tasks/task.js";
import { carriesTraceContext, runInTraceContext } from "../tracing/message-tracing.js";
import type { RunContext } from "./run-context.js";
import { exceptionDetailsOf } from "./exception-details.js";
import type { TaskOutcome } from "./task-outcome.js";

/** Options of {@link runTask}: the {@link RunContext} the runner gives the attempt. */
export type RunTaskOptions = RunContext;

/**
 * Run one attempt of `message` where it is (worker thread, child process or in-process):
 * `preOp` → the function → `postOp`. Never touches the broker and never rejects: an error in
 * `preOp` or the function is the attempt's failure (recorded in `message.exceptionDetails`);
 * an error in `postOp` is logged. `context` is what the runner gives the attempt (see
 * {@link RunContext}: its abort switch, where progress reports go). A message that carries a trace
 * context (a pool traced it) runs in that context when `@opentelemetry/api` is installed here:
 * spans the task makes are children of the pool's run span, if this thread or process registered
 * an SDK.
 */
export function runTask(task: Task, message: Message, context: RunContext = {}): Promise<TaskOutcome> {
  if (context.abort !== undefined) message.attemptAbort = context.abort;
  if (context.progress) message.reportProgressTo(context.progress);
  if (carriesTraceContext(message)) return runInTraceContext(message, () => runAttempt(task, message));
  return task.preOp === Task.prototype.preOp && task.postOp === Task.prototype.postOp ? runOp(task, message) : runAttempt(task, message);
}

/**
 * The attempt of a task without its own `preOp`/`postOp` (the common case), as {@link runAttempt}
 * runs it but with one promise instead of an async frame and an await: a function that returns
 * a plain value settles here at once. Every promise costs a worker thread a promise-hook call
 * (its `AsyncLocalStorage` names the task behind a crash).
 */
function runOp(task: Task, message: Message): Promise<TaskOutcome> {
  let result: unknown;
  let thenable: boolean;
  try {
    result = task.op(message);
    // Inside the try: a `then` getter that throws fails the attempt, as awaiting the result would.
    thenable = isThenable(result);
  } catch (error) {
    return Promise.resolve(attemptEnded(message, attemptFailed(message, error)));
  }
  if (!thenable) return Promise.resolve(attemptEnded(message, attemptSucceeded(message, result)));
  return Promise.resolve(result).then(
    (value) => attemptEnded(message, attemptSucceeded(message, value)),
    (error: unknown) => attemptEnded(message, attemptFailed(message, error)),
  );
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as PromiseLike<unknown>).then === "function";
}

/** The outcome of a function that returned `result`, recorded on the message. */
function attemptSucceeded(message: Message, result: unknown): TaskOutcome {
  message.exceptionDetails = null;
  return { ok: true, result };
}

/** The outcome of a function that threw or rejected with `error`, recorded on the message. */
function attemptFailed(message: Message, error: unknown): TaskOutcome {
  message.exceptionDetails = exceptionDetailsOf(error);
  return { ok: false, error };
}

/** The attempt is over (its hooks too): its abort switch leaves the message. */
function attemptEnded(message: Message, outcome: TaskOutcome): TaskOutcome {
  message.attemptAbort = null;
  return outcome;
}

async function runAttempt(task: Task, message: Message): Promise<TaskOutcome> {
  // A task with its own preOp or postOp: each is awaited (one without either goes to runOp).
  let outcome: TaskOutcome;
  try {
    if (task.preOp !== Task.prototype.preOp) await task.preOp(message);
    outcome = attemptSucceeded(message, await task.op(message));
  } catch (error) {
    outcome = attemptFailed(message, error);
  }
  if (task.postOp !== Task.prototype.postOp) {
    try {
      await task.postOp(message, outcome.ok ? outcome.result : null);
    } catch (error) {
      // Runs where the task runs: the task's broker's logger there, else that thread's or process's own.
      createLogger("alsek.lifecycle", task.broker.logger).error("Hook postOp failed", { ...messageLogFields(message), error });
    }
  }
  return attemptEnded(message, outcome);
}
