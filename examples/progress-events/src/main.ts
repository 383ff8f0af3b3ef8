// Progress from running tasks (message.progress → StatusTracker.listenProgress) and QueueEvents,
// the cross-process event stream of a queue (the backend records it with its `events` option).
import type { ProgressUpdate, QueueEvent } from "@alsek/core";
import { QueueEvents, TaskStatus } from "@alsek/results";
import { ThreadWorkerPool } from "@alsek/worker-thread";
import { backend, backendLabel, closeBackend, resetBackend } from "./backend.js";
import { flakyOnce, resizeImages, statusTracker, tightLoop } from "./tasks.js";

console.log(`Backend: ${backendLabel}`);
await resetBackend();
const failures: string[] = [];
const check = (ok: boolean, what: string): void => {
  if (!ok) failures.push(what);
};

// Every event of the queue (from the oldest kept: the namespace was just cleared), as any process would see it.
const events = new QueueEvents(backend, { queues: [resizeImages.queue], from: "oldest" });
const seen: QueueEvent[] = [];
events.on("event", (event) => seen.push(event));
events.on("retried", (event) => console.log(`event: retried ${event.uuid} (attempt ${event.attempt}): ${event.error?.message}`));

const resize = await resizeImages.generate({ args: [["a.png", "b.png", "c.png", "d.png"]] });
const loop = await tightLoop.generate();
const flaky = await flakyOnce.generate();

const pool = new ThreadWorkerPool({ tasks: [resizeImages, tightLoop, flakyOnce], nThreads: 4, nProcesses: 1 });
const running = pool.run();

// listenProgress yields each stored value as the pool writes it, and ends with the task.
const values: ProgressUpdate["value"][] = [];
for await (const update of statusTracker.listenProgress(resize, { signal: AbortSignal.timeout(120_000) })) {
  console.log(`progress of resizeImages: ${JSON.stringify(update.value)}`);
  values.push(update.value);
}
check(JSON.stringify(values.at(-1)) === JSON.stringify({ done: 4, of: 4, file: "d.png" }), "the last progress value is kept");
for (const message of [loop, flaky]) await statusTracker.waitFor(message, TaskStatus.SUCCEEDED, { timeout: 120_000 });
console.log(`tightLoop's stored progress: ${JSON.stringify((await statusTracker.getProgress(loop))?.value)}`);
check((await statusTracker.getProgress(loop))?.value === 100, "a tight loop's last value is written");

// The event stream catches up within its poll interval.
const typesOf = (uuid: string): string[] => seen.filter((event) => event.uuid === uuid).map((event) => event.type);
const deadline = Date.now() + 30_000;
while (!(typesOf(resize.uuid).includes("succeeded") && typesOf(flaky.uuid).includes("succeeded") && typesOf(loop.uuid).includes("succeeded"))) {
  if (Date.now() > deadline) break;
  await new Promise((resolve) => setTimeout(resolve, 50));
}
for (const [name, message] of [["resizeImages", resize], ["tightLoop", loop], ["flakyOnce", flaky]] as const) {
  console.log(`events of ${name}: ${typesOf(message.uuid).join(" → ")}`);
}
check(typesOf(resize.uuid).join(",") === "submitted,started,progress,progress,progress,progress,succeeded", "resizeImages' events");
check(typesOf(loop.uuid).join(",") === "submitted,started,progress,progress,succeeded", "tightLoop's progress was throttled to two writes");
check(typesOf(flaky.uuid).join(",") === "submitted,started,retried,started,succeeded", "flakyOnce's events");

await events.close();
await pool.stop();
await running;
await closeBackend();
if (failures.length > 0) throw new Error(`Failed: ${failures.join("; ")}.`);
console.log("example ok");
