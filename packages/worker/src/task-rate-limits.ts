import type { Backend, Task } from "@alsek/core";

/**
 * Stores the `rateLimit` option of each task that has one in the backend, for the task's queue
 * (`backend.setRateLimit(queue, limit, taskName)`), so the claims of every pool enforce it. A pool
 * calls it before its first claim. Tasks without the option leave whatever limit is stored alone
 * (an operator may have set one). Idempotent.
 */
export async function storeTaskRateLimits(backend: Backend, tasks: readonly Task[]): Promise<void> {
  await Promise.all(
    tasks.flatMap((task) => (task.rateLimit === null ? [] : [backend.setRateLimit(task.queue, task.rateLimit, task.name)])),
  );
}
