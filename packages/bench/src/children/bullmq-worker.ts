// Entry of the worker child for BullMQ (compiled to dist/children/bullmq-worker.js and forked by
// the bench). It runs one Worker on the bench queue until the bench says stop.
import { Worker } from "bullmq";
import { sharedClockMs } from "../clock.js";
import { BENCH_QUEUE } from "../queue-names.js";
import { bullmqConnection } from "../sides/bullmq-connection.js";
import { answerAllocationRequests } from "./allocation-sampler.js";
import { LatencyRecorder } from "./latency-recorder.js";
import type { ChildMessage, ParentMessage, WorkerChildConfig } from "./protocol.js";

const config = JSON.parse(process.argv[2] ?? "{}") as WorkerChildConfig;
answerAllocationRequests();
const connection = bullmqConnection(config.redisUrl);

const worker =
  config.pool === "process" || config.pool === "thread-sandbox"
    ? new Worker(BENCH_QUEUE, new URL("./bullmq-sandbox-processor.js", import.meta.url), {
        connection,
        concurrency: config.concurrency,
        useWorkerThreads: config.pool === "thread-sandbox",
      })
    : new Worker(BENCH_QUEUE, async () => sharedClockMs(), { connection, concurrency: config.concurrency });

if (config.latencyExpected !== undefined) {
  const recorder = new LatencyRecorder(config.latencyExpected);
  worker.on("completed", (job, result) => recorder.completed(job.id as string, result));
}
worker.on("error", (error) => console.error("bullmq worker error:", error));

process.on("message", (message: ParentMessage) => {
  if (message.type === "stop") {
    void worker.close().then(() => process.exit(0));
  }
});

await worker.waitUntilReady();
const ready: ChildMessage = { type: "ready" };
process.send?.(ready);
