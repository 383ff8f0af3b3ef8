// Runs a pool in its own process for the kill/SIGTERM tests:
//   node --import tsx run-pool.ts <leaseMs> <stopGraceMs>
// Prints "started" once consuming and exits 0 after a graceful stop.
import { ThreadWorkerPool } from "../thread-worker-pool.js";
import { Task } from "@alsek/core";
import * as tasks from "./tasks.js";

const [leaseMs = "30000", stopGraceMs = "30000"] = process.argv.slice(2);
const pool = new ThreadWorkerPool({
  tasks: (Object.values(tasks) as unknown[]).filter((value): value is Task => value instanceof Task),
  queues: ["alsek_queue"],
  nThreads: 2,
  nProcesses: 1,
  leaseMs: Number(leaseMs),
  stopGraceMs: Number(stopGraceMs),
});
pool.on("started", () => console.log("started"));
await pool.run();
await tasks.backend.close();
console.log("stopped");
