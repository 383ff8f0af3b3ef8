import { startRedisCluster, type RedisCluster } from "@alsek/test-support";
import { Redis } from "ioredis";
import { WorkerChild } from "../children/worker-child.js";
import { openMultiQueueDriver } from "../multi-queue/multi-queue-drivers.js";
import { MULTI_QUEUES, type Topology } from "../multi-queue/topology.js";
import type { RunContext, Scenario, Side } from "../scenario.js";
import { warmUp, waitUntilDrained } from "./drain.js";

const CONCURRENCY = 50;

let cluster: RedisCluster | null = null;

async function flushCluster(running: RedisCluster): Promise<void> {
  await Promise.all(
    running.nodes.map(async (node) => {
      const client = new Redis(node.url);
      try {
        await client.flushall();
      } finally {
        client.disconnect();
      }
    }),
  );
}

async function drainRate(side: Side, context: RunContext, topology: Topology): Promise<number> {
  const label = `${side} ${topology.kind} drain over ${MULTI_QUEUES.length} queues`;
  const driver = await openMultiQueueDriver(side, topology);
  let child: WorkerChild | null = null;
  try {
    child = await WorkerChild.start({
      side,
      redisUrl: context.redisUrl,
      pool: "thread",
      concurrency: CONCURRENCY,
      topology,
    });
    await warmUp(driver, CONCURRENCY, label);
    await driver.enqueueBulk(context.sizes.drain, 0);
    const { first, last } = await waitUntilDrained(driver, context.sizes.drain, label);
    return first.left / (Math.max(last - first.at, 5) / 1000);
  } finally {
    await child?.stop();
    await driver.close();
  }
}

/**
 * Scale beyond one server: N jobs spread over six queues (on different Cluster slots), drained at
 * concurrency 50 by one worker child, on the bench's standalone server and on a local 3-master
 * Redis Cluster. Alsek: one ThreadWorkerPool on all six queues. BullMQ: one Worker per queue (its
 * workers take one queue each), concurrency shared between them, a hash-tag prefix per queue as
 * BullMQ documents for Cluster.
 */
export const drainCluster: Scenario = {
  name: "drain-cluster",
  description:
    `drain N jobs spread over ${MULTI_QUEUES.length} queues at concurrency ${CONCURRENCY}, on the standalone server and ` +
    "on a local 3-master Redis Cluster (Alsek: one thread pool on all queues; BullMQ: a Worker per queue, hash-tag prefixes)",
  metrics: [
    {
      key: "standalone",
      label: `drain over ${MULTI_QUEUES.length} queues, standalone`,
      unit: "msg/s",
      better: "higher",
    },
    {
      key: "cluster",
      label: `drain over ${MULTI_QUEUES.length} queues, 3-master Cluster`,
      unit: "msg/s",
      better: "higher",
    },
    { key: "clusterOverStandalone", label: "Cluster ÷ standalone drain rate", unit: "×", better: "higher" },
  ],
  async run(side, context) {
    cluster ??= await startRedisCluster();
    await flushCluster(cluster);
    const standalone = await drainRate(side, context, { kind: "standalone", url: context.redisUrl });
    const clustered = await drainRate(side, context, { kind: "cluster", nodes: cluster.startupNodes });
    await flushCluster(cluster);
    return { standalone, cluster: clustered, clusterOverStandalone: clustered / standalone };
  },
  async teardown() {
    await cluster?.stop();
    cluster = null;
  },
};
