import { createLogger } from "../logging/logger.js";
import type { Message } from "../messages/message.js";
import type { Task } from "../tasks/task.js";
import type { RunContext } from "./run-context.js";
import { exceptionDetailsOf } from "./exception-details.js";
import type { TaskOutcome } from "./task-outcome.js";

const log = createLogger("alsek.lifecycle");

/**
 * Run one attempt of `message` where it is (worker thread, child process or in-process):
 * `preOp` → the function → `postOp`. Never touches the broker and never rejects: an error in
 * `preOp` or the function is the attempt's failure (recorded in `message.exceptionDetails`);
 * an error in `postOp` is logged. `context` is what the runner gives the attempt (see
 * {@link RunContext}).
 */
export async function runTask(task: Task, message: Message, context: RunContext = {}): Promise<TaskOutcome> {
  if (context.progress) message.reportProgressTo(context.progress);
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
    log.error("Hook postOp failed", { task: task.name, uuid: message.uuid, error });
  }
  return outcome;
}
