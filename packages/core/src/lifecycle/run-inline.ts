import type { Message } from "../messages/message.js";
import type { Task } from "../tasks/task.js";
import { MessageSettler } from "./message-settler.js";
import { AttemptAbort } from "../messages/attempt-abort.js";
import { runTask } from "./run-task.js";
import type { SettleDisposition, TaskOutcome } from "./task-outcome.js";

const defaultSettler = new MessageSettler();

/**
 * Run and settle one message in this process (status RUNNING, {@link runTask}, then
 * {@link MessageSettler.settle}): for tests and single-process use. With a claimed message the
 * writes are fenced by its lease. `signal` (optional) reaches the task as `message.signal`: when
 * it aborts, so does the task's signal, with the same reason.
 */
export async function runInline(
  task: Task,
  message: Message,
  settler: MessageSettler = defaultSettler,
  signal?: AbortSignal,
): Promise<TaskOutcome & { disposition: SettleDisposition }> {
  await settler.markRunning(task, message);
  let abort: AttemptAbort | undefined;
  let forward: (() => void) | undefined;
  if (signal !== undefined) {
    const attempt = new AttemptAbort();
    abort = attempt;
    forward = () => attempt.abort(signal.reason);
    if (signal.aborted) forward();
    else signal.addEventListener("abort", forward, { once: true });
  }
  let outcome: TaskOutcome;
  try {
    outcome = await runTask(task, message, abort === undefined ? {} : { abort });
  } finally {
    if (forward !== undefined) signal!.removeEventListener("abort", forward);
  }
  const disposition = await settler.settle(task, message, outcome);
  return { ...outcome, disposition };
}
