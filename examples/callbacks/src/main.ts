// Callbacks: a message that runs when another succeeds, receiving its result as previousResult.
import type { Message } from "@alsek/core";
import { ThreadWorkerPool } from "@alsek/worker-thread";
import { backendLabel, closeBackend, resetBackend } from "./backend.js";
import { add1, add1Previous, printResult, resultStore } from "./tasks.js";

console.log(`Backend: ${backendLabel}`);
await resetBackend();

const pool = new ThreadWorkerPool({ tasks: [add1, add1Previous, printResult], nThreads: 2, nProcesses: 1 });
const running = pool.run();

/**
 * The results of the root and of every callback down its chain, oldest first. Typed by the
 * messages themselves: every task of the chain returns a number, so this is a `number[]`.
 */
function chainResults<M extends Message>(root: M) {
  return resultStore.get(root, { descendants: true, timeout: 120_000 });
}

// Single callback. `defer()` makes the next generate() build the message without submitting it:
// it is submitted only once add1 succeeds.
console.log("single: add1(1) → printResult");
const single = await add1.generate({ args: [1], callback: await printResult.defer().generate() });
const singleResults = await chainResults(single);
console.log(`  results: ${JSON.stringify(singleResults)}`);

// Nested callbacks, written out by hand as in the guided tour. Each `defer()` defers one
// `generate()`, so nesting one task inside itself defers every level.
console.log("nested: add1(1) → add1Previous → add1Previous → add1Previous → printResult");
const nested = await add1.generate({
  args: [1],
  callback: await add1Previous.defer().generate({
    callback: await add1Previous.defer().generate({
      callback: await add1Previous.defer().generate({ callback: await printResult.defer().generate() }),
    }),
  }),
});
const nestedResults = await chainResults(nested);
console.log(`  results: ${JSON.stringify(nestedResults)}`);

// ...and the same chain from an array, which is nested for you.
console.log("array: the same chain from [add1Previous, add1Previous, add1Previous, printResult]");
const flat = await add1.generate({
  args: [1],
  callback: [
    await add1Previous.defer().generate(),
    await add1Previous.defer().generate(),
    await add1Previous.defer().generate(),
    await printResult.defer().generate(),
  ],
});
console.log(`  descendant uuids of the root: ${flat.descendantUuids?.length ?? 0}`);
const flatResults = await chainResults(flat);
console.log(`  results: ${JSON.stringify(flatResults)}`);

await pool.stop();
await running;
await closeBackend();
const checks: [string, number[], number[]][] = [
  ["single", singleResults, [2, 2]],
  ["nested", nestedResults, [2, 3, 4, 5, 5]],
  ["array", flatResults, [2, 3, 4, 5, 5]],
];
for (const [name, actual, expected] of checks) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${name}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}.`);
  }
}
console.log("example ok");
