import type { ConnectionOptions } from "bullmq";

/** Name of BullMQ jobs (BullMQ requires one). */
export const BULLMQ_JOB_NAME = "noop";

/**
 * Connection options for BullMQ from a `redis://host:port` URL. `maxRetriesPerRequest: null` is
 * what BullMQ requires for workers' blocking connections.
 */
export function bullmqConnection(redisUrl: string): ConnectionOptions {
  const url = new URL(redisUrl);
  return { host: url.hostname, port: Number(url.port), maxRetriesPerRequest: null };
}

/**
 * Completed and failed jobs are deleted, as Alsek deletes acked messages: both sides then do the
 * same amount of bookkeeping per job.
 */
export const BULLMQ_JOB_OPTIONS = { removeOnComplete: true, removeOnFail: true } as const;
