/** Where the multi-queue scenarios' Redis is: the bench's standalone server or its local Cluster. */
export type Topology =
  | { kind: "standalone"; url: string }
  | { kind: "cluster"; nodes: readonly { host: string; port: number }[] };

/** Queues the multi-queue scenarios spread their jobs over (different Cluster slots). */
export const MULTI_QUEUES: readonly string[] = ["bench-q0", "bench-q1", "bench-q2", "bench-q3", "bench-q4", "bench-q5"];

/**
 * Environment variable through which a multi-queue worker child tells its Alsek task module (and
 * so its worker threads) which Redis to use, as JSON {@link Topology}.
 */
export const TOPOLOGY_ENV = "ALSEK_BENCH_TOPOLOGY";

/**
 * BullMQ's key prefix for one queue: a hash tag per queue, which is how BullMQ documents Cluster
 * use, so each queue's keys share one slot and different queues land on different slots.
 */
export function bullmqPrefix(queue: string): string {
  return `{${queue}}`;
}

/** How many of `total` jobs or slots go to the `index`-th of `parts` (as even as integers allow). */
export function share(total: number, parts: number, index: number): number {
  return Math.floor(total / parts) + (index < total % parts ? 1 : 0);
}
