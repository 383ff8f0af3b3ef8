// One pool of the flow-control tests in its own process, as a separate host would run it:
//   node --import tsx run-limited-pool.ts <backendModuleUrl> <capacity> <leaseMs> [backend args...]
// The backend module exports `openBackend(args: string[]): Backend` (same storage and namespace as
// the test's). The pool runs task `flowLimited` of queue `limited`; each run prints
// `start <epoch ms>`; "started" once the pool consumes. SIGTERM stops it gracefully.
import { Broker, task, type Backend } from "@alsek/core";
import { InlineWorkerPool } from "../pool-behaviour/inline-worker-pool.js";

const [backendModuleUrl, capacity, leaseMs, ...backendArgs] = process.argv.slice(2);
if (backendModuleUrl === undefined) throw new Error("usage: run-limited-pool.ts <backendModuleUrl> <capacity> <leaseMs> [args...]");
const { openBackend } = (await import(backendModuleUrl)) as { openBackend(args: string[]): Backend };
const backend = openBackend(backendArgs);
const limited = task(new Broker(backend), { name: "flowLimited", queue: "limited", mechanism: "thread", maxRetries: 0 }, function flowLimited() {
  process.stdout.write(`start ${Date.now()}\n`);
});
const pool = new InlineWorkerPool({ tasks: [limited], queues: ["limited"], leaseMs: Number(leaseMs), capacity: Number(capacity) });
pool.on("started", () => process.stdout.write("started\n"));
process.once("SIGTERM", () => void pool.stop());
await pool.run();
await backend.close();
// A client the backend did not create (a Cluster) would keep the process alive.
process.exit(0);
