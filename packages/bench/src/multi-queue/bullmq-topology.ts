import { Cluster, Redis } from "ioredis";
import type { Topology } from "./topology.js";

/**
 * A new ioredis connection for BullMQ on `topology` (`maxRetriesPerRequest: null`, as BullMQ
 * requires for workers). BullMQ closes connections it is given only when told to: callers close it.
 */
export function multiQueueConnection(topology: Topology): Redis | Cluster {
  if (topology.kind === "standalone") return new Redis(topology.url, { maxRetriesPerRequest: null });
  return new Cluster(
    topology.nodes.map((node) => ({ ...node })),
    { redisOptions: { maxRetriesPerRequest: null } },
  );
}
