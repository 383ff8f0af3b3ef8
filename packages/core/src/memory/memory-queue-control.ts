import type { QueueControl, RateLimit } from "../backend/flow-control.js";
import { admitFromWindow, type WindowAdmission } from "../backend/rate-window.js";

/** A rate limit with its sliding window of claim times (oldest first). */
interface LimitedWindow {
  limit: RateLimit;
  window: number[];
}

/**
 * The flow-control state of one queue in memory: paused flag, queue rate limit and task rate
 * limits, each limit with its window of claim times. Read and written only inside a claim or a
 * setter, which run synchronously, so each claim counts atomically.
 */
export class MemoryQueueControl {
  paused = false;
  #queue: LimitedWindow | null = null;
  readonly #tasks = new Map<string, LimitedWindow>();

  /** Whether any task of the queue has a limit (claims then look at task names). */
  get hasTaskLimits(): boolean {
    return this.#tasks.size > 0;
  }

  /** Sets or removes the queue's limit (`task` undefined) or a task's; the window is kept. */
  setLimit(limit: RateLimit | null, task: string | undefined): void {
    if (task === undefined) {
      this.#queue = limit === null ? null : { limit, window: this.#queue?.window ?? [] };
    } else if (limit === null) {
      this.#tasks.delete(task);
    } else {
      this.#tasks.set(task, { limit, window: this.#tasks.get(task)?.window ?? [] });
    }
  }

  /** What the queue's own limit allows now (unlimited: `allowed` is `Infinity`). */
  admitQueue(now: number): WindowAdmission {
    return this.#queue === null ? { allowed: Infinity, freeAt: null } : admitFromWindow(this.#queue.window, this.#queue.limit, now);
  }

  /** What `task`'s limit allows now (unlimited: `allowed` is `Infinity`). */
  admitTask(task: string, now: number): WindowAdmission {
    const limited = this.#tasks.get(task);
    return limited === undefined ? { allowed: Infinity, freeAt: null } : admitFromWindow(limited.window, limited.limit, now);
  }

  /** The task's limit, if it has one. */
  taskLimit(task: string): RateLimit | undefined {
    return this.#tasks.get(task)?.limit;
  }

  /** Counts one claim of a message of `task` at `now` in the windows that limit it. */
  record(task: string | null, now: number): void {
    this.#queue?.window.push(now);
    if (task !== null) this.#tasks.get(task)?.window.push(now);
  }

  /** The settings, as {@link Backend.getQueueControl} reports them. */
  read(): QueueControl {
    const taskRateLimits: Record<string, RateLimit> = {};
    for (const [task, { limit }] of [...this.#tasks].sort(([a], [b]) => (a < b ? -1 : 1))) taskRateLimits[task] = { ...limit };
    return { paused: this.paused, rateLimit: this.#queue === null ? null : { ...this.#queue.limit }, taskRateLimits };
  }
}
