// Triggers with result storage: a task submitted on an interval, its fires read back through the
// first message (their progenitor) with `descendants: true`.
import { setTimeout as sleep } from "node:timers/promises";
import { ThreadWorkerPool } from "@alsek/worker-thread";
import { backendLabel, closeBackend, resetBackend } from "./backend.js";
import { harvestData, resultStore } from "./tasks.js";

console.log(`Backend: ${backendLabel}`);
await resetBackend();

const pool = new ThreadWorkerPool({ tasks: [harvestData], nThreads: 2, nProcesses: 1 });
const running = pool.run();

// Submits a message now, and a duplicate of it (same task, progenitor = this message) every 300 ms.
const message = await harvestData.generate();
console.log(`Scheduled ${message.summary} every 300 ms.`);

// Let a few fires run. `descendants: true` with a timeout waits for the first result; `keep: true`
// leaves the results stored so that the final read below gets them all.
const WANTED = 4;
const deadline = Date.now() + 120_000;
let seen: number[] = [];
while (seen.length < WANTED) {
  if (Date.now() > deadline) throw new Error(`Only ${seen.length} fires ran within 120 s.`);
  seen = await resultStore.get(message, { descendants: true, keep: true, timeout: 30_000 });
  if (seen.length < WANTED) await sleep(100);
}

// The three ways to interrupt a trigger task: pause() (undone by resume()), clear() (the schedule
// is removed; generate() may schedule again) and shutdown() (for good).
harvestData.pause();
harvestData.resume();
harvestData.clear();
harvestData.shutdown();
console.log("Trigger paused, resumed, cleared, then shut down.");

// Every result of the family, ordered by when it was written: `number[]`, typed by the task.
const results = await resultStore.get(message, { descendants: true, timeout: 30_000 });
console.log(`Results of the fires so far: ${JSON.stringify(results)}`);

await pool.stop();
await running;
await closeBackend();
if (results.length < WANTED || !results.every((value) => Number.isInteger(value) && value >= 0 && value <= 100)) {
  throw new Error(`Expected at least ${WANTED} integers in 0..100, got ${JSON.stringify(results)}.`);
}
console.log("example ok");
