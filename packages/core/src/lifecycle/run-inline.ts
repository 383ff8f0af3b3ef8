import type { Message } from "../messages/message.js";
import type { Task } from "../tasks/task.js";
import { MessageSettler } from "./message-settler.js";
import { runTask } from "./run-task.js";
import type { SettleDisposition, TaskOutcome } from "./task-outcome.js";

const defaultSettler = new MessageSettler();

/**
 * Run and settle one message in this process (status RUNNING, {@link runTask}, then
 * {@link MessageSettler.settle}): for tests and single-process use. With a claimed message the
 * writes are fenced by its lease.
 */
export async function runInline(
  task: Task,
  message: Message,
  settler: MessageSettler = defaultSettler,
): Promise<TaskOutcome & { disposition: SettleDisposition }> {
  await settler.markRunning(task, message);
  const outcome = await runTask(task, message);
  const disposition = await settler.settle(task, message, outcome);
  return { ...outcome, disposition };
}
