// Entry of the worker child for Alsek (compiled to dist/children/alsek-worker.js and forked by the
// bench with the Redis URL in its environment). It runs one pool until the bench says stop.
import { ProcessWorkerPool } from "@alsek/worker-process";
import { InLoopWorkerPool, ThreadWorkerPool } from "@alsek/worker-thread";
import { backend, noopProcess, noopThread } from "../tasks/noop.js";
import { answerAllocationRequests } from "./allocation-sampler.js";
import { LatencyRecorder } from "./latency-recorder.js";
import type { ChildMessage, ParentMessage, WorkerChildConfig } from "./protocol.js";

const config = JSON.parse(process.argv[2] ?? "{}") as WorkerChildConfig;
answerAllocationRequests();

const pool =
  config.pool === "process"
    ? new ProcessWorkerPool({ tasks: [noopProcess], nProcesses: config.concurrency, handleSignals: false })
    : config.pool === "in-loop"
      ? new InLoopWorkerPool({ tasks: [noopThread], concurrency: config.concurrency, handleSignals: false })
      : // One group, started up front (floor 1), as the "thread pool with one group".
        new ThreadWorkerPool({
        tasks: [noopThread],
        nThreads: config.concurrency,
        nProcesses: 1,
        nProcessFloor: 1,
        handleSignals: false,
      });

if (config.latencyExpected !== undefined) {
  const recorder = new LatencyRecorder(config.latencyExpected);
  pool.on("completed", (message, result) => recorder.completed(message.uuid, result));
}
pool.on("failed", (message, error) => console.error("alsek pool: message failed:", message.summary, error));

process.on("message", (message: ParentMessage) => {
  if (message.type === "stop") {
    void pool
      .stop()
      .then(() => backend.close())
      .then(() => process.exit(0));
  }
});

pool.once("started", () => {
  const ready: ChildMessage = { type: "ready" };
  process.send?.(ready);
});
await pool.run();
