import { messageLogFields } from "../logging/log-fields.js";
import { createLogger } from "../logging/logger.js";
import type { Message } from "../messages/message.js";
import type { Task } from "../tasks/task.js";
import { exceptionDetailsOf } from "./exception-details.js";
import type { TaskOutcome } from "./task-outcome.js";

/**
 * Run one attempt of `message` where it is (worker thread, child process or in-process):
 * `preOp` → the function → `postOp`. Never touches the broker and never rejects: an error in
 * `preOp` or the function is the attempt's failure (recorded in `message.exceptionDetails`);
 * an error in `postOp` is logged.
 */
export async function runTask(task: Task, message: Message): Promise<TaskOutcome> {
  let outcome: TaskOutcome;
  try {
    await task.preOp(message);
    const result = await task.op(message);
    message.exceptionDetails = null;
    outcome = { ok: true, result };
  } catch (error) {
    message.exceptionDetails = exceptionDetailsOf(error);
    outcome = { ok: false, error };
  }
  try {
    await task.postOp(message, outcome.ok ? outcome.result : null);
  } catch (error) {
    // Runs where the task runs: the task's broker's logger there, else that thread's or process's own.
    createLogger("alsek.lifecycle", task.broker.logger).error("Hook postOp failed", { ...messageLogFields(message), error });
  }
  return outcome;
}
