// Entry of the multi-queue worker child for Alsek (compiled to dist/children/): one thread pool
// on every queue of the multi-queue scenarios, on the topology the bench passed, until told to stop.
import { ThreadWorkerPool } from "@alsek/worker-thread";
import { MULTI_QUEUES, TOPOLOGY_ENV } from "../multi-queue/topology.js";
import type { ChildMessage, ParentMessage, WorkerChildConfig } from "./protocol.js";

const config = JSON.parse(process.argv[2] ?? "{}") as WorkerChildConfig;
if (config.topology === undefined) throw new Error("the multi-queue worker child needs a topology");
// Read by the task module below and, through the inherited environment, by every worker thread.
process.env[TOPOLOGY_ENV] = JSON.stringify(config.topology);
const { workerSide } = await import("../tasks/multi-queue-noop.js");
if (workerSide === null) throw new Error("the multi-queue task module did not see the topology");

const pool = new ThreadWorkerPool({
  tasks: [workerSide.task],
  queues: MULTI_QUEUES,
  nThreads: config.concurrency,
  nProcesses: 1,
  nProcessFloor: 1,
  handleSignals: false,
});
pool.on("failed", (message, error) => console.error("alsek pool: message failed:", message.summary, error));

process.on("message", (message: ParentMessage) => {
  if (message.type === "stop") {
    void pool
      .stop()
      .then(() => workerSide.close())
      .then(() => process.exit(0));
  }
});

pool.once("started", () => {
  const ready: ChildMessage = { type: "ready" };
  process.send?.(ready);
});
await pool.run();
