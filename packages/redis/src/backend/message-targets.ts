// Several operations take a lease or a bare reference and batch references by queue (one script
// call per queue, since a Cluster keeps each queue on its own slot); these are the shared pieces.
import type { Lease, MessageRef } from "@alsek/core";

/** The indexes of `items` grouped by their queue, in first-seen order. */
export function groupByQueue<T extends { queue: string }>(items: readonly T[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  items.forEach((item, index) => {
    const group = groups.get(item.queue);
    if (group === undefined) groups.set(item.queue, [index]);
    else group.push(index);
  });
  return groups;
}

/** Whether a write targets a claimed message (and so must hold its lease) or any message. */
export function isLease(target: Lease | MessageRef): target is Lease {
  return typeof (target as Partial<Lease>).token === "string";
}

/** The lease token a script checks, or `""` for a write that needs no lease. */
export function leaseToken(target: Lease | MessageRef): string {
  return isLease(target) ? target.token : "";
}
