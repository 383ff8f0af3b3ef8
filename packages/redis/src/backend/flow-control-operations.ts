// Pausing and rate-limiting queues: operator writes to a queue's control hash, which claim.lua
// reads (one HMGET per queue per claim when nothing is set).
import {
  countingWindowMs,
  requireRateLimit,
  ValidationError,
  validateQueueName,
  validateTaskName,
  type QueueControl,
  type RateLimit,
} from "@alsek/core";
import type { BackendConnection } from "./backend-connection.js";

const TASK_FIELD_PREFIX = "t:";

function parseLimit(text: string): RateLimit | null {
  const [max, durationMs] = text.split(":").map(Number);
  return max !== undefined && durationMs !== undefined && Number.isInteger(max) && Number.isInteger(durationMs)
    ? { max, durationMs }
    : null;
}

/** The flow-control calls of `RedisBackend`; see the `Backend` contract for each method. */
export class FlowControlOperations {
  readonly #connection: BackendConnection;

  constructor(connection: BackendConnection) {
    this.#connection = connection;
  }

  async setQueuePaused(queue: string, paused: boolean): Promise<void> {
    validateQueueName(queue);
    if (typeof paused !== "boolean") throw new ValidationError(`setQueuePaused: \`paused\` must be a boolean, got ${String(paused)}.`);
    await this.#write("setQueuePaused", queue, "paused", paused ? "1" : "");
  }

  async setRateLimit(queue: string, limit: RateLimit | null, task?: string): Promise<void> {
    validateQueueName(queue);
    if (task !== undefined) validateTaskName(task);
    const checked = limit === null ? null : requireRateLimit("setRateLimit", limit);
    const field = task === undefined ? "rl" : `${TASK_FIELD_PREFIX}${task}`;
    // The counting window goes with the limit, so claim.lua does not repeat its rule.
    const value = checked === null ? "" : `${checked.max}:${checked.durationMs}:${countingWindowMs(checked)}`;
    await this.#write("setRateLimit", queue, field, value);
  }

  async getQueueControl(queue: string): Promise<QueueControl> {
    validateQueueName(queue);
    const connection = this.#connection;
    const fields = await connection.guard("getQueueControl", () => connection.get().client.hgetall(connection.keys.control(queue)));
    const taskRateLimits: Record<string, RateLimit> = {};
    for (const name of Object.keys(fields).sort()) {
      if (!name.startsWith(TASK_FIELD_PREFIX)) continue;
      const limit = parseLimit(fields[name]!);
      if (limit !== null) taskRateLimits[name.slice(TASK_FIELD_PREFIX.length)] = limit;
    }
    return {
      paused: fields.paused === "1",
      rateLimit: fields.rl === undefined ? null : parseLimit(fields.rl),
      taskRateLimits,
    };
  }

  async #write(operation: string, queue: string, field: string, value: string): Promise<void> {
    const connection = this.#connection;
    const { keys } = connection;
    await connection.guard(operation, () =>
      connection.get().scripts.run("set-queue-control", [keys.control(queue)], [field, value, keys.wakeChannel(queue)]),
    );
  }
}
