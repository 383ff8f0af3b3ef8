// Status tracking: get, waitFor and listen, and the integrity scanner.
import { StatusTrackerIntegrityScanner, TaskStatus, type StatusUpdate } from "@alsek/results";
import { ThreadWorkerPool } from "@alsek/worker-thread";
import { backendLabel, closeBackend, resetBackend } from "./backend.js";
import { broker, flakyOnce, statusTracker, sumN } from "./tasks.js";

console.log(`Backend: ${backendLabel}`);
await resetBackend();
const failures: string[] = [];
const check = (ok: boolean, what: string): void => {
  if (!ok) failures.push(what);
};
const names = (updates: StatusUpdate[]): string[] => updates.map((update) => TaskStatus[update.status]);

/**
 * Starts listening: resolves once `listen` yielded the current status, with `all`, a promise of
 * every status up to the terminal one.
 */
async function startListening(iterator: AsyncGenerator<StatusUpdate>): Promise<{ all: Promise<StatusUpdate[]> }> {
  const first = await iterator.next();
  const seen = first.done ? [] : [first.value];
  const all = (async () => {
    for await (const update of iterator) seen.push(update);
    return seen;
  })();
  return { all };
}

// Submitted before any pool runs: the status is SUBMITTED.
const message = await sumN.generate({ args: [100] });
const submitted = await statusTracker.get(message);
console.log(`statusTracker.get(message) → ${TaskStatus[submitted.status]}`);
check(submitted.status === TaskStatus.SUBMITTED, "SUBMITTED before a pool runs");

const retried = await flakyOnce.generate();
// listen() yields the current status, then each update, and ends after a terminal one. The pool
// starts only once both listeners have their first status, so they see every status from SUBMITTED.
const signal = AbortSignal.timeout(120_000);
const listening = [
  await startListening(statusTracker.listen(message, { signal })),
  await startListening(statusTracker.listen(retried, { signal })),
];

const pool = new ThreadWorkerPool({ tasks: [sumN, flakyOnce], nThreads: 2, nProcesses: 1 });
const running = pool.run();

const reached = await statusTracker.waitFor(message, TaskStatus.SUCCEEDED, { timeout: 120_000 });
console.log(`statusTracker.waitFor(message, SUCCEEDED) → ${TaskStatus[reached]}`);
const [sumUpdates = [], flakyUpdates = []] = await Promise.all(listening.map((listener) => listener.all));
console.log(`listen(sumN message)      → ${names(sumUpdates).join(" → ")}`);
console.log(`listen(flakyOnce message) → ${names(flakyUpdates).join(" → ")}`);
check(names(sumUpdates).at(0) === "SUBMITTED" && names(sumUpdates).at(-1) === "SUCCEEDED", "sumN went from SUBMITTED to SUCCEEDED");
check(names(flakyUpdates).includes("RETRYING") && names(flakyUpdates).at(-1) === "SUCCEEDED", "flakyOnce retried, then succeeded");

// The scanner marks UNKNOWN the non-terminal statuses of messages that no longer exist (a pool
// that died between removing a message and recording its outcome). Here everything is consistent.
const scanner = new StatusTrackerIntegrityScanner(statusTracker, broker, { trigger: null });
const repaired = await scanner.scan();
console.log(`Integrity scan: ${repaired} status(es) repaired.`);
check(repaired === 0, "nothing to repair");
scanner.shutdown();

await pool.stop();
await running;
await closeBackend();
if (failures.length > 0) throw new Error(`Failed: ${failures.join("; ")}.`);
console.log("example ok");
