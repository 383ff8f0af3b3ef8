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
  return carriesTraceContext(message)
    ? runInTraceContext(message, () => runAttempt(task, message))
    : runAttempt(task, message);
}

async function runAttempt(task: Task, message: Message): Promise<TaskOutcome> {
  // A task without its own preOp/postOp (the common case) skips their awaits: a promise and a
  // turn each, per attempt.
  let outcome: TaskOutcome;
  try {
    if (task.preOp !== Task.prototype.preOp) await task.preOp(message);
    const result = await task.op(message);
    message.exceptionDetails = null;
    outcome = { ok: true, result };
  } catch (error) {
    message.exceptionDetails = exceptionDetailsOf(error);
    outcome = { ok: false, error };
  }
  if (task.postOp !== Task.prototype.postOp) {
    try {
      await task.postOp(message, outcome.ok ? outcome.result : null);
    } catch (error) {
      // Runs where the task runs: the task's broker's logger there, else that thread's or process's own.
      createLogger("alsek.lifecycle", task.broker.logger).error("Hook postOp failed", { ...messageLogFields(message), error });
    }
  }
  message.attemptAbort = null;
  return outcome;
}
