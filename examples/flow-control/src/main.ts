// Flow control: a paused queue keeps its backlog until it is resumed; a queue's rate limit and a
// task's own limit hold across every pool, because the claim itself counts them in the backend.
import { ResultPool } from "@alsek/results";
import { ThreadWorkerPool } from "@alsek/worker-thread";
import { backendLabel, closeBackend, resetBackend } from "./backend.js";
import { broker, callPartner, resultStore, sendEmail } from "./tasks.js";

console.log(`Backend: ${backendLabel}`);
await resetBackend();

// The pool runs from the start: pausing acts on pools that are already claiming. One thread, and
// one warm-up message first, so that the thread is up: a limit counts claims, and a cold pool starts
// its first claims only once its threads have booted (see "Flow control" in the core README).
const pool = new ThreadWorkerPool({ tasks: [callPartner, sendEmail], nThreads: 1, nProcesses: 1 });
const running = pool.run();
const warmUp = await callPartner.generate({ args: [-1] });
await new ResultPool(resultStore).stream([warmUp], { signal: AbortSignal.timeout(120_000) }).next();

// At most 5 starts per second in the whole queue, whatever the number of pools and hosts.
await broker.setRateLimit("partner_api", { max: 5, durationMs: 1_000 });
// Paused: submits land, no pool claims.
await broker.pauseQueue("partner_api");
const calls = await Promise.all(Array.from({ length: 10 }, (_, n) => callPartner.generate({ args: [n] })));
const emails = await Promise.all(["ada", "grace", "alan", "edsger"].map((to) => sendEmail.generate({ args: [`${to}@example.com`] })));
console.log(`Queue paused: ${await broker.isPaused("partner_api")}; submitted ${calls.length} calls and ${emails.length} emails.`);
await new Promise((resolve) => setTimeout(resolve, 500));
const waiting = await broker.backend.countQueue("partner_api");
console.log(`Half a second later, still waiting: ${waiting.ready} (a paused queue is not claimed).`);
if (waiting.ready !== calls.length + emails.length) throw new Error("A paused queue must not be claimed.");

await broker.resumeQueue("partner_api");
const starts: { task: string; startedAt: number }[] = [];
for await (const [message, result] of new ResultPool(resultStore).stream([...calls, ...emails], { signal: AbortSignal.timeout(120_000) })) {
  starts.push({ task: message.taskName, startedAt: (result as { startedAt: number }).startedAt });
}
await pool.stop();
await running;
console.log(`Stored limits: queue ${JSON.stringify(await broker.getRateLimit("partner_api"))}, sendEmail ${JSON.stringify(await broker.getRateLimit("partner_api", { task: "sendEmail" }))}.`);

// The limits count claims: a `started` event is written in the claim's own atomic step, stamped
// with the backend's clock. Starts follow claims, later by however busy the machine is, so two
// claims a second apart can start closer together: check the limits on the claims.
const taskOf = new Map([...calls, ...emails].map((message) => [message.uuid, message.taskName]));
const claims: { task: string; at: number }[] = [];
for (let after: string | null = null; ; ) {
  const events = await broker.backend.readEvents("partner_api", { after, limit: 1_000 });
  for (const event of events) {
    const task = taskOf.get(event.uuid);
    if (event.type === "started" && task) claims.push({ task, at: event.at });
  }
  if (events.length < 1_000) break;
  after = events.at(-1)!.id;
}
await closeBackend();

/** The most times inside any window of `ms`. */
function busiest(times: number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let first = 0, last = 0; last < sorted.length; last++) {
    while (sorted[last]! - sorted[first]! >= ms) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}
const all = busiest(claims.map((c) => c.at), 1_000);
const email = busiest(claims.filter((c) => c.task === "sendEmail").map((c) => c.at), 1_000);
const startsInBusiestSecond = busiest(starts.map((s) => s.startedAt), 1_000);
console.log(
  `Ran ${starts.length} after resume; busiest second: ${all} claims in the queue, ${email} emails ` +
    `(${startsInBusiestSecond} starts: starts lag claims by the machine's load).`,
);
if (starts.length !== 14 || claims.length !== 14 || all > 5 || email > 2) {
  throw new Error("Expected 14 runs, at most 5 claims per second and 2 emails per second.");
}
console.log("example ok");
