// Runs a worker pool of the fixture tasks in its own process, for the SIGKILL/SIGTERM behaviours:
//   node --import tsx run-pool.ts <subjectModuleUrl> <leaseMs> <stopGraceMs> <capacity>
// The subject module exports `poolSubject` (a WorkerPoolSubject). Prints "started" once consuming
// and exits 0 after a graceful stop.
import type { WorkerPoolSubject } from "../pool-behaviour/worker-pool-subject.js";
import { allTasks, backend } from "./pool-tasks.js";

const [subjectModuleUrl, leaseMs = "30000", stopGraceMs = "30000", capacity = "2"] = process.argv.slice(2);
if (subjectModuleUrl === undefined) throw new Error("usage: run-pool.ts <subjectModuleUrl> [leaseMs] [stopGraceMs] [capacity]");
const { poolSubject } = (await import(subjectModuleUrl)) as { poolSubject: WorkerPoolSubject };
const pool = poolSubject.createPool({
  tasks: allTasks,
  queues: ["alsek_queue"],
  capacity: Number(capacity),
  leaseMs: Number(leaseMs),
  stopGraceMs: Number(stopGraceMs),
});
pool.on("started", () => console.log("started"));
await pool.run();
await backend.close();
console.log("stopped");
