import { Queue, Worker } from "bullmq";
import { BENCH_QUEUE } from "../queue-names.js";
import { BULLMQ_JOB_NAME, BULLMQ_JOB_OPTIONS, bullmqConnection } from "./bullmq-connection.js";
import { writeInChunks } from "./chunks.js";
import type { PendingCounts, QueueDriver } from "./driver.js";

/** BullMQ's producer side: `Queue.add` and `Queue.addBulk`. */
export class BullmqDriver implements QueueDriver {
  readonly queue: Queue;
  readonly #redisUrl: string;
  #claimer: Worker | null = null;

  constructor(redisUrl: string, queueName = BENCH_QUEUE) {
    this.#redisUrl = redisUrl;
    this.queue = new Queue(queueName, { connection: bullmqConnection(redisUrl) });
  }

  async enqueueOne(): Promise<string> {
    const job = await this.queue.add(BULLMQ_JOB_NAME, {}, BULLMQ_JOB_OPTIONS);
    return job.id as string;
  }

  async enqueueBulk(count: number, chunk: number, inFlight = 1): Promise<void> {
    await writeInChunks(count, chunk, inFlight, (size) =>
      this.queue.addBulk(Array.from({ length: size }, () => ({ name: BULLMQ_JOB_NAME, data: {}, opts: BULLMQ_JOB_OPTIONS }))),
    );
  }

  async claimAndComplete(count: number): Promise<void> {
    // A Worker without a processor and without autorun is BullMQ's documented manual-fetch mode.
    this.#claimer ??= new Worker(this.queue.name, undefined, {
      connection: bullmqConnection(this.#redisUrl),
      autorun: false,
    });
    const token = "bench-claimer";
    for (let done = 0; done < count; done += 1) {
      const job = await this.#claimer.getNextJob(token, { block: false });
      if (!job) throw new Error(`BullMQ queue '${this.queue.name}' ran dry after ${done} of ${count} jobs.`);
      await job.moveToCompleted(null, token, false);
    }
  }

  async pending(): Promise<PendingCounts> {
    const counts = await this.queue.getJobCounts("wait", "prioritized", "delayed", "active");
    return {
      waiting: (counts.wait ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0),
      active: counts.active ?? 0,
    };
  }

  async close(): Promise<void> {
    await this.#claimer?.close();
    await this.queue.close();
  }
}
