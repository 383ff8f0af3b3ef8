// The Alsek task of the multi-queue scenarios. Compiled to dist/tasks/multi-queue-noop.js, which
// the pool's worker threads import: there the backend comes from the topology the worker child
// put in the environment.
import { Broker, type Task, task } from "@alsek/core";
import { RedisBackend } from "@alsek/redis";
import { Cluster } from "ioredis";
import { MULTI_QUEUES, TOPOLOGY_ENV, type Topology } from "../multi-queue/topology.js";

/** An Alsek backend on `topology`, and how to close what it opened (the backend leaves a passed-in Cluster open). */
export function openTopologyBackend(topology: Topology): { backend: RedisBackend; close(): Promise<void> } {
  if (topology.kind === "standalone") {
    const backend = new RedisBackend(topology.url);
    return { backend, close: () => backend.close() };
  }
  const cluster = new Cluster(
    topology.nodes.map((node) => ({ ...node })),
    { lazyConnect: true },
  );
  const backend = new RedisBackend(cluster);
  return {
    backend,
    async close() {
      await backend.close();
      cluster.disconnect();
    },
  };
}

/** The no-op task on `backend` (it runs on every queue of {@link MULTI_QUEUES}; `generate` picks the queue). */
export function multiQueueNoop(backend: RedisBackend): Task {
  const broker = new Broker(backend, { dlqTtl: null });
  return task(
    broker,
    { name: "multiQueueNoop", queue: MULTI_QUEUES[0] as string, maxRetries: 0, timeout: 60_000, mechanism: "thread" },
    function multiQueueNoop() {
      return 0;
    },
  ) as unknown as Task;
}

const fromEnvironment = process.env[TOPOLOGY_ENV];

/** The task as the worker child and its threads define it, and how to close its backend (null in the bench's own process). */
export const workerSide: { task: Task; close(): Promise<void> } | null =
  fromEnvironment === undefined
    ? null
    : (() => {
        const opened = openTopologyBackend(JSON.parse(fromEnvironment) as Topology);
        return { task: multiQueueNoop(opened.backend), close: opened.close };
      })();
