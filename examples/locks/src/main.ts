// Concurrency locks: one owner at a time holds a named lock, across threads, processes and hosts.
import { Lock, LockNotAcquiredError } from "@alsek/core";
import { ResultPool } from "@alsek/results";
import { ThreadWorkerPool } from "@alsek/worker-thread";
import { backend, backendLabel, closeBackend, resetBackend } from "./backend.js";
import { resultStore, sendData, type SendOutcome } from "./tasks.js";

console.log(`Backend: ${backendLabel}`);
await resetBackend();
const failures: string[] = [];
const check = (ok: boolean, what: string): void => {
  if (!ok) failures.push(what);
};

// Two owners of one lock name exclude each other; the holder may refresh or release it.
const a = new Lock("report", { backend, ttl: 60_000, ownerId: "worker-a" });
const b = new Lock("report", { backend, ttl: 60_000, ownerId: "worker-b" });
check(await a.acquire(), "a takes the free lock");
check(!(await b.acquire()), "b cannot take a's lock");
console.log(`'report' is held by ${String(await a.holder())}; b.acquire() → false`);
check(await a.acquire(), "a may acquire again (refreshes its ttl)");
check(await a.release(), "a releases");
check(await b.acquire(), "b takes it once free");
check(await b.release(), "b releases");

// withLock runs a function only while holding the lock, and releases it afterwards.
const total = await a.withLock(() => 40 + 2);
console.log(`a.withLock(...) → ${total}; holder afterwards: ${String(await a.holder())}`);
check(total === 42 && (await a.holder()) === null, "withLock runs and releases");
await b.acquire();
try {
  await a.withLock(() => "never runs");
  check(false, "withLock refuses while b holds the lock");
} catch (error) {
  check(error instanceof LockNotAcquiredError, "withLock throws LockNotAcquiredError");
  console.log(`a.withLock(...) while b holds it → ${(error as Error).name}`);
}
await b.release();

// Four sendData messages on four threads at once: the lock lets one send at a time.
console.log("Four sendData messages on four threads:");
const pool = new ThreadWorkerPool({ tasks: [sendData], nThreads: 4, nProcesses: 1 });
const running = pool.run();
const messages = [];
for (let i = 0; i < 4; i += 1) messages.push(await sendData.generate());
const outcomes: SendOutcome[] = [];
for await (const [, outcome] of new ResultPool(resultStore).istream(messages, { signal: AbortSignal.timeout(120_000) })) {
  outcomes.push(outcome); // a SendOutcome: typed by sendData's return type
}
await pool.stop();
await running;
await closeBackend();

const sent = outcomes.filter((outcome) => outcome.sent).sort((x, y) => x.heldFrom! - y.heldFrom!);
console.log(`${sent.length} sent, ${outcomes.length - sent.length} found the lock taken.`);
check(sent.length >= 1, "at least one run sends");
sent.forEach((outcome, i) => {
  const next = sent[i + 1];
  if (next) check(outcome.heldUntil! <= next.heldFrom!, "no two runs held the lock at once");
});
if (failures.length > 0) throw new Error(`Failed: ${failures.join("; ")}.`);
console.log("example ok");
