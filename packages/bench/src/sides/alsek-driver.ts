import type { Task } from "@alsek/core";
import { writeInChunks } from "./chunks.js";
import type { PendingCounts, QueueDriver } from "./driver.js";
import { backend, noopProcess, noopThread } from "../tasks/noop.js";

const CLAIM_LEASE_MS = 30_000;

/**
 * Alsek's producer side through its public API: `task.generate()` for one message,
 * `task.generateMany()` (one backend submit per chunk) in bulk, `backend.claim` + `backend.ack`
 * for the raw claim loop and `backend.countQueue` to watch a drain.
 */
export class AlsekDriver implements QueueDriver {
  readonly #queue: string;
  readonly #task: Task;

  constructor(queue: string, pool: "thread" | "process") {
    this.#queue = queue;
    this.#task = (pool === "process" ? noopProcess : noopThread) as unknown as Task;
  }

  async enqueueOne(): Promise<string> {
    const message = await this.#task.generate({ queue: this.#queue });
    return message.uuid;
  }

  async enqueueBulk(count: number, chunk: number, inFlight = 1): Promise<void> {
    await writeInChunks(count, chunk, inFlight, (size) =>
      this.#task.generateMany(Array.from({ length: size }, () => ({ queue: this.#queue }))),
    );
  }

  async claimAndComplete(count: number, batch: number): Promise<void> {
    for (let done = 0; done < count; ) {
      const { messages } = await backend.claim({
        queues: [this.#queue],
        limit: Math.min(batch, count - done),
        leaseMs: CLAIM_LEASE_MS,
      });
      if (messages.length === 0) throw new Error(`Alsek queue '${this.#queue}' ran dry after ${done} of ${count} messages.`);
      await Promise.all(messages.map((claimed) => backend.ack(claimed.lease)));
      done += messages.length;
    }
  }

  async pending(): Promise<PendingCounts> {
    const counts = await backend.countQueue(this.#queue);
    return { waiting: counts.ready + counts.delayed, active: counts.active };
  }

  async close(): Promise<void> {
    // The backend is shared by every driver of the run; `closeAlsek()` closes it at the end.
  }
}

/** Close the Alsek backend of this process. */
export async function closeAlsek(): Promise<void> {
  await backend.close();
}
