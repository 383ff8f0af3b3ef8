// Entry of the multi-queue worker child for BullMQ (compiled to dist/children/): one Worker per
// queue of the multi-queue scenarios (BullMQ workers take one queue each), sharing the
// concurrency between them, on the topology the bench passed, until told to stop.
import { Worker } from "bullmq";
import { multiQueueConnection } from "../multi-queue/bullmq-topology.js";
import { bullmqPrefix, MULTI_QUEUES, share } from "../multi-queue/topology.js";
import type { ChildMessage, ParentMessage, WorkerChildConfig } from "./protocol.js";

const config = JSON.parse(process.argv[2] ?? "{}") as WorkerChildConfig;
if (config.topology === undefined) throw new Error("the multi-queue worker child needs a topology");
const topology = config.topology;

const workers = MULTI_QUEUES.map(
  (queue, index) =>
    new Worker(queue, async () => 0, {
      connection: multiQueueConnection(topology),
      prefix: bullmqPrefix(queue),
      concurrency: Math.max(1, share(config.concurrency, MULTI_QUEUES.length, index)),
    }),
);
for (const worker of workers) worker.on("error", (error) => console.error("bullmq worker error:", error));

process.on("message", (message: ParentMessage) => {
  if (message.type === "stop") {
    void Promise.all(workers.map((worker) => worker.close())).then(() => process.exit(0));
  }
});

await Promise.all(workers.map((worker) => worker.waitUntilReady()));
const ready: ChildMessage = { type: "ready" };
process.send?.(ready);
