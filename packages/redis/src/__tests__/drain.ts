import type { Backend } from "@alsek/core";

/**
 * Claims and acks until `expected` distinct uuids were completed, riding out connection errors
 * the way a consumer does (errors are retried on the next round). Returns the completed uuids.
 */
export async function drainQueue(
  backend: Backend,
  queue: string,
  expected: number,
  onRound?: (round: number) => Promise<void>,
): Promise<Set<string>> {
  const done = new Set<string>();
  const deadline = Date.now() + 30_000;
  for (let round = 0; done.size < expected; round += 1) {
    if (Date.now() > deadline) throw new Error(`drained only ${done.size} of ${expected} messages`);
    await onRound?.(round);
    try {
      const { messages } = await backend.claim({ queues: [queue], limit: 10, leaseMs: 300 });
      for (const claimed of messages) {
        if ((await backend.ack(claimed.lease)) === "ok") done.add(claimed.lease.uuid);
      }
      if (messages.length === 0) await new Promise((r) => setTimeout(r, 20));
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return done;
}
