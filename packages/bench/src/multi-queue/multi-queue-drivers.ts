import { Queue } from "bullmq";
import type { Task } from "@alsek/core";
import type { Side } from "../scenario.js";
import { BULLMQ_JOB_NAME, BULLMQ_JOB_OPTIONS } from "../sides/bullmq-connection.js";
import type { PendingCounts, QueueDriver } from "../sides/driver.js";
import { multiQueueConnection } from "./bullmq-topology.js";
import { bullmqPrefix, MULTI_QUEUES, share, type Topology } from "./topology.js";

/** Jobs per bulk call when spreading jobs over the queues. */
const CHUNK = 1_000;

/**
 * The producer side of the multi-queue scenarios: spreads jobs evenly over {@link MULTI_QUEUES}
 * and counts what is left on all of them. Only `enqueueBulk` and `pending` are used.
 */
export async function openMultiQueueDriver(side: Side, topology: Topology): Promise<QueueDriver> {
  return side === "alsek" ? openAlsek(topology) : openBullmq(topology);
}

async function eachQueue(count: number, write: (queue: string, size: number) => Promise<unknown>): Promise<void> {
  await Promise.all(
    MULTI_QUEUES.map(async (queue, index) => {
      for (let left = share(count, MULTI_QUEUES.length, index); left > 0; left -= CHUNK) {
        await write(queue, Math.min(CHUNK, left));
      }
    }),
  );
}

function unused(): Promise<never> {
  return Promise.reject(new Error("the multi-queue drivers only enqueue and count"));
}

async function openAlsek(topology: Topology): Promise<QueueDriver> {
  const { multiQueueNoop, openTopologyBackend } = await import("../tasks/multi-queue-noop.js");
  const opened = openTopologyBackend(topology);
  const noop: Task = multiQueueNoop(opened.backend);
  return {
    enqueueOne: unused,
    claimAndComplete: unused,
    enqueueBulk: (count) =>
      eachQueue(count, (queue, size) => noop.generateMany(Array.from({ length: size }, () => ({ queue })))),
    async pending(): Promise<PendingCounts> {
      const counts = await Promise.all(MULTI_QUEUES.map((queue) => opened.backend.countQueue(queue)));
      return counts.reduce<PendingCounts>(
        (sum, one) => ({ waiting: sum.waiting + one.ready + one.delayed, active: sum.active + one.active }),
        {
          waiting: 0,
          active: 0,
        },
      );
    },
    close: () => opened.close(),
  };
}

async function openBullmq(topology: Topology): Promise<QueueDriver> {
  const connection = multiQueueConnection(topology);
  const queues = new Map(
    MULTI_QUEUES.map((name) => [name, new Queue(name, { connection, prefix: bullmqPrefix(name) })]),
  );
  const queue = (name: string): Queue => queues.get(name) as Queue;
  return {
    enqueueOne: unused,
    claimAndComplete: unused,
    enqueueBulk: (count) =>
      eachQueue(count, (name, size) =>
        queue(name).addBulk(
          Array.from({ length: size }, () => ({ name: BULLMQ_JOB_NAME, data: {}, opts: BULLMQ_JOB_OPTIONS })),
        ),
      ),
    async pending(): Promise<PendingCounts> {
      const counts = await Promise.all(
        [...queues.values()].map((one) => one.getJobCounts("wait", "prioritized", "delayed", "active")),
      );
      return counts.reduce<PendingCounts>(
        (sum, one) => ({
          waiting: sum.waiting + (one.wait ?? 0) + (one.prioritized ?? 0) + (one.delayed ?? 0),
          active: sum.active + (one.active ?? 0),
        }),
        { waiting: 0, active: 0 },
      );
    },
    async close() {
      await Promise.all([...queues.values()].map((one) => one.close()));
      connection.disconnect();
    },
  };
}
