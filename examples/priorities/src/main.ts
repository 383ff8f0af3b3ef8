// Priorities: within one queue, a lower number runs first, whatever the submission order.
import { ResultPool } from "@alsek/results";
import { ProcessWorkerPool } from "@alsek/worker-process";
import { backendLabel, closeBackend, resetBackend } from "./backend.js";
import { resultStore, taskA } from "./tasks.js";

console.log(`Backend: ${backendLabel}`);
await resetBackend();

// The guided tour: message_2 (priority 0) takes priority over message_1 (priority 1).
const submitted = [
  await taskA.generate({ args: ["message_1"], priority: 1 }),
  await taskA.generate({ args: ["message_2"], priority: 0 }),
  await taskA.generate({ args: ["low"], priority: 9 }),
  await taskA.generate({ args: ["urgent"], priority: 0 }),
  await taskA.generate({ args: ["normal"], priority: 5 }),
];
console.log(`Submitted, in this order: ${submitted.map((m) => `${String(m.args[0])} (priority ${m.priority})`).join(", ")}`);

// Every message is queued before the pool starts, and the pool has a single process: it takes
// them one at a time, by priority, then by arrival (FIFO) among equal priorities.
const pool = new ProcessWorkerPool({ tasks: [taskA], nProcesses: 1 });
const running = pool.run();

// Each result is typed by its message: `{ label: string; ranAt: number }`, what taskA returns.
const ran = [];
for await (const [, result] of new ResultPool(resultStore).stream(submitted, { signal: AbortSignal.timeout(120_000) })) {
  ran.push(result);
}
ran.sort((a, b) => a.ranAt - b.ranAt);
console.log(`Ran, in this order: ${ran.map((r) => r.label).join(", ")}`);

await pool.stop();
await running;
await closeBackend();
const expected = ["message_2", "urgent", "message_1", "normal", "low"];
if (ran.map((r) => r.label).join() !== expected.join()) {
  throw new Error(`Expected the order ${expected.join(", ")}.`);
}
console.log("example ok");
