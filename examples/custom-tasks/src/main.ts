// Custom task classes: hooks around the function, and control over callbacks and retries.
import { ThreadWorkerPool } from "@alsek/worker-thread";
import { backendLabel, closeBackend, resetBackend } from "./backend.js";
import { broker, flaky, printResult, resultStore, simpleTask } from "./tasks.js";

console.log(`Backend: ${backendLabel}`);
await resetBackend();
const failures: string[] = [];
const check = (ok: boolean, what: string): void => {
  if (!ok) failures.push(what);
};

const pool = new ThreadWorkerPool({ tasks: [simpleTask, printResult, flaky], nThreads: 2, nProcesses: 1 });
const retries = new Map<string, number>();
const failed = new Map<string, (error: unknown) => void>();
pool.on("retried", (message) => retries.set(message.uuid, (retries.get(message.uuid) ?? 0) + 1));
pool.on("failed", (message, error) => failed.get(message.uuid)?.(error));
/** Resolves with the error once the pool has failed this message for good. */
const failureOf = (uuid: string): Promise<unknown> => new Promise((resolve) => failed.set(uuid, resolve));
const running = pool.run();
const timeout = 120_000;

console.log("doCallback: result 99 > 1, so the callback runs");
const big = await simpleTask.generate({ args: [99], callback: await printResult.defer().generate() });
const bigResults = await resultStore.get(big, { descendants: true, timeout });
check(JSON.stringify(bigResults) === "[99,99]", "the callback of 99 ran");

console.log("doCallback: result 1 is not > 1, so the callback is skipped");
const callback = await printResult.defer().generate();
const small = await simpleTask.generate({ args: [1], callback });
check((await resultStore.get(small, { timeout })) === 1, "simpleTask(1) returned 1");
// The callback would have been enqueued in the same atomic step that stored the result.
check(!(await broker.exists(callback)), "the callback of 1 was never submitted");

console.log("doRetry: a RangeError is not retried");
const range = await flaky.defer().generate({ args: ["range"] });
const rangeFailure = failureOf(range.uuid);
await broker.submit(range);
check((await rangeFailure) instanceof RangeError, "the RangeError reached the pool as a RangeError");

console.log("doRetry: a TypeError is retried up to maxRetries (2), then dead-lettered");
const type = await flaky.defer().generate({ args: ["type"] });
const typeFailure = failureOf(type.uuid);
await broker.submit(type);
check((await typeFailure) instanceof TypeError, "the TypeError reached the pool as a TypeError");

check((retries.get(range.uuid) ?? 0) === 0, "the RangeError was not retried");
check(retries.get(type.uuid) === 2, "the TypeError was retried twice");
check(await broker.inDlq(range), "the RangeError message is in the dead-letter queue");
check(await broker.inDlq(type), "the TypeError message is in the dead-letter queue");
console.log(`Retries: RangeError ${retries.get(range.uuid) ?? 0}, TypeError ${retries.get(type.uuid) ?? 0}; both dead-lettered.`);

await pool.stop();
await running;
await closeBackend();
if (failures.length > 0) throw new Error(`Failed: ${failures.join("; ")}.`);
console.log("example ok");
