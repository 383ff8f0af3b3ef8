/** How many messages of the bench queue are still to do. */
export interface PendingCounts {
  /** Claimable or delayed, not yet taken by a worker. */
  waiting: number;
  /** Taken by a worker and not yet completed. */
  active: number;
}

/**
 * The producer-side operations every scenario needs, implemented once per library so the
 * scenarios stay library-neutral. Each driver enqueues the same no-op job on one queue.
 */
export interface QueueDriver {
  /** Enqueue one no-op job and wait for the write; returns its id (uuid or BullMQ job id). */
  enqueueOne(): Promise<string>;
  /**
   * Enqueue `count` no-op jobs in chunks of `chunk`, one bulk call per chunk, with up to
   * `inFlight` chunks awaiting their reply at once.
   * @defaultValue inFlight: 1
   */
  enqueueBulk(count: number, chunk: number, inFlight?: number): Promise<void>;
  /**
   * Take `count` messages off the queue and complete each, the inner loop of a worker without a
   * function to run: Alsek claims `batch` at a time and acks them; BullMQ has no batch claim and
   * moves one job at a time to active and then to completed.
   */
  claimAndComplete(count: number, batch: number): Promise<void>;
  /** Counts used to watch a drain from outside the workers. */
  pending(): Promise<PendingCounts>;
  /** Close connections. */
  close(): Promise<void>;
}
