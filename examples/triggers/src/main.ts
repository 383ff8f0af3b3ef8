// Triggers with result storage: a task submitted on an interval, its fires read back through the
// first message (their progenitor) with `descendants: true`. Two more producer processes define the
// same trigger: the schedule is stored in the backend, so the three submit one message per tick.
import { fork, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { ThreadWorkerPool } from "@alsek/worker-thread";
import { backend, backendLabel, closeBackend, resetBackend } from "./backend.js";
import { harvestData, resultStore } from "./tasks.js";

console.log(`Backend: ${backendLabel}`);
await resetBackend();

const pool = new ThreadWorkerPool({ tasks: [harvestData], nThreads: 2, nProcesses: 1 });
const running = pool.run();

// Submits a message now, and a duplicate of it (same task, progenitor = this message) every 300 ms.
const message = await harvestData.generate();
console.log(`Scheduled ${message.summary} every 300 ms.`);

// Two replicas of this producer (separate processes, same backend) call generate() too. They join
// the stored schedule: same first message, and each tick is still fired once, by one of the three.
const REPLICAS = 2;
const replicas: ChildProcess[] = [];
for (let i = 0; i < REPLICAS; i += 1) {
  replicas.push(fork(new URL("./replica.ts", import.meta.url), { execArgv: ["--import", "tsx"], env: process.env }));
}
const joined = await Promise.all(
  replicas.map(async (replica) => ((await once(replica, "message")) as [{ joined: string }])[0].joined),
);
if (joined.some((uuid) => uuid !== message.uuid)) throw new Error(`Replicas joined another schedule: ${joined.join(", ")}`);
console.log(`${REPLICAS} more producer processes joined the schedule of ${message.uuid}.`);

// Let a few fires run. `descendants: true` with a timeout waits for the first result; `keep: true`
// leaves the results stored so that the final read below gets them all.
const WANTED = 6;
const deadline = Date.now() + 120_000;
let seen: number[] = [];
while (seen.length < WANTED) {
  if (Date.now() > deadline) throw new Error(`Only ${seen.length} fires ran within 120 s.`);
  seen = await resultStore.get(message, { descendants: true, keep: true, timeout: 30_000 });
  if (seen.length < WANTED) await sleep(100);
}

// The three ways to interrupt a trigger task: pause() (undone by resume()), clear() (the stored
// schedule is removed, for every replica; generate() may schedule again) and shutdown() (for good,
// this process only). With a shared schedule they return promises.
const ref = { queue: message.queue, name: harvestData.name };
await harvestData.pause();
// While paused no replica fires, so the stored fire count holds still.
const fires = (await backend.getSchedule(ref))?.fires ?? 0;
await harvestData.resume();
await harvestData.clear();
await harvestData.shutdown();
console.log("Trigger paused, resumed, cleared, then shut down.");
for (const replica of replicas) replica.disconnect();
await Promise.all(replicas.map((replica) => once(replica, "exit")));

// Each tick was fired once by the three processes: the family holds the first message's result
// plus one per fire the stored schedule counted (one more at most: a tick between resume() and
// clear()), not three per tick. Wait until the pool ran them all.
let results: number[] = [];
for (;;) {
  results = await resultStore.get(message, { descendants: true, keep: true, timeout: 30_000 });
  const counts = await backend.countQueue(message.queue);
  if (counts.ready + counts.delayed + counts.active === 0 && results.length >= fires + 1) break;
  if (Date.now() > deadline) throw new Error(`Results never caught up: ${results.length} for ${fires} fires.`);
  await sleep(100);
}
if (results.length > fires + 2) throw new Error(`${results.length - 1} messages for ${fires} ticks: ticks fired more than once.`);
console.log(`3 producer processes, ${fires} ticks fired: ${results.length - 1} messages after the first.`);
results = await resultStore.get(message, { descendants: true, timeout: 30_000 });
console.log(`Results of the fires so far: ${JSON.stringify(results)}`);

await pool.stop();
await running;
await closeBackend();
if (results.length < WANTED || !results.every((value) => Number.isInteger(value) && value >= 0 && value <= 100)) {
  throw new Error(`Expected at least ${WANTED} integers in 0..100, got ${JSON.stringify(results)}.`);
}
console.log("example ok");
