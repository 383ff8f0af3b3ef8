import type { QueueControl, RateLimit } from "../backend/flow-control.js";
import { validateQueueName, validateTaskName } from "../validation/name-rules.js";
import { ValidationError } from "../errors/index.js";
import { requireRateLimit } from "../validation/flow-control-rules.js";
import type { MemoryBackendState } from "./memory-backend-state.js";

/** Pausing and rate-limiting queues in `MemoryBackend`; see the `Backend` contract. */
export class MemoryFlowControl {
  readonly #state: MemoryBackendState;

  constructor(state: MemoryBackendState) {
    this.#state = state;
  }

  async setQueuePaused(queue: string, paused: boolean): Promise<void> {
    const state = this.#state;
    state.assertOpen();
    validateQueueName(queue);
    if (typeof paused !== "boolean") throw new ValidationError(`setQueuePaused: \`paused\` must be a boolean, got ${String(paused)}.`);
    state.ns.control(queue).paused = paused;
    if (!paused) state.wake(queue);
  }

  async setRateLimit(queue: string, limit: RateLimit | null, task?: string): Promise<void> {
    const state = this.#state;
    state.assertOpen();
    validateQueueName(queue);
    if (task !== undefined) validateTaskName(task);
    const checked = limit === null ? null : requireRateLimit("setRateLimit", limit);
    state.ns.control(queue).setLimit(checked, task);
    state.wake(queue);
  }

  async getQueueControl(queue: string): Promise<QueueControl> {
    const state = this.#state;
    state.assertOpen();
    validateQueueName(queue);
    return state.ns.controls.get(queue)?.read() ?? { paused: false, rateLimit: null, taskRateLimits: {} };
  }
}
