// Result iteration: ResultPool.istream yields results as they complete, ResultPool.stream in the
// order the messages were given.
import { ResultPool } from "@alsek/results";
import { ThreadWorkerPool } from "@alsek/worker-thread";
import { backendLabel, closeBackend, resetBackend } from "./backend.js";
import { resultStore, sumN } from "./tasks.js";

console.log(`Backend: ${backendLabel}`);
await resetBackend();

const pool = new ThreadWorkerPool({ tasks: [sumN], nThreads: 3, nProcesses: 1 });
const running = pool.run();
const resultPool = new ResultPool(resultStore);
const signal = AbortSignal.timeout(120_000);

// The smallest n takes longest, so it usually completes last.
async function submitBatch() {
  return [
    await sumN.generate({ args: [10, 600] }),
    await sumN.generate({ args: [100, 300] }),
    await sumN.generate({ args: [1000, 0] }),
  ];
}

console.log("istream (completion order):");
const completed: number[] = [];
for await (const [message, result] of resultPool.istream(await submitBatch(), { signal })) {
  console.log(`  The result of message '${message.uuid}' (n = ${String(message.args[0])}) is ${String(result)}.`);
  completed.push(result);
}

console.log("stream (input order):");
const ordered: number[] = [];
for await (const [message, result] of resultPool.stream(await submitBatch(), { signal })) {
  console.log(`  The result of message '${message.uuid}' (n = ${String(message.args[0])}) is ${String(result)}.`);
  ordered.push(result);
}

await pool.stop();
await running;
await closeBackend();
const expected = [55, 5050, 500500];
if (JSON.stringify(ordered) !== JSON.stringify(expected)) {
  throw new Error(`stream: expected ${JSON.stringify(expected)}, got ${JSON.stringify(ordered)}.`);
}
if (JSON.stringify(completed.toSorted((a, b) => a - b)) !== JSON.stringify(expected)) {
  throw new Error(`istream: expected the results ${JSON.stringify(expected)} in any order, got ${JSON.stringify(completed)}.`);
}
console.log("example ok");
