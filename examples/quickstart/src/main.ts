// Quick start: a producer submits math tasks, a ThreadWorkerPool runs them, the results are printed.
import { ResultPool } from "@alsek/results";
import { ThreadWorkerPool } from "@alsek/worker-thread";
import { backendLabel, closeBackend, resetBackend } from "./backend.js";
import { add, multiply, resultStore } from "./tasks.js";

console.log(`Backend: ${backendLabel}`);
await resetBackend();

// Produce first: the messages wait in queue `math_ops` until a pool consumes them.
const messages = [
  await add.generate({ args: [1, 2] }),
  await multiply.generate({ args: [3, 4] }),
  await add.generate({ args: [40, 2] }),
  await multiply.generate({ args: [6, 7] }),
];
console.log(`Submitted ${messages.length} messages to queue 'math_ops'.`);

// One process group of two worker threads is plenty here (the default scales to the CPU count).
const pool = new ThreadWorkerPool({ tasks: [add, multiply], nThreads: 2, nProcesses: 1 });
const running = pool.run();

const expected = [3, 12, 42, 42];
const results: number[] = [];
for await (const [message, result] of new ResultPool(resultStore).stream(messages, {
  signal: AbortSignal.timeout(120_000),
})) {
  const symbol = message.taskName === "add" ? "+" : "×";
  console.log(`${String(message.args[0])} ${symbol} ${String(message.args[1])} = ${String(result)}`);
  results.push(result); // a number: typed by the message's task, no cast needed
}

await pool.stop();
await running;
await closeBackend();
if (JSON.stringify(results) !== JSON.stringify(expected)) {
  throw new Error(`Expected ${JSON.stringify(expected)}, got ${JSON.stringify(results)}.`);
}
console.log("example ok");
