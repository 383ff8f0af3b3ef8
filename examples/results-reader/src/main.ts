// The reader: the embeddable-dashboard case. This process imports only @alsek/results and a
// backend (no task, no broker, no worker package). Another process produces the messages and an
// `alsek thread-pool` process runs them; all three share the backend (one SQLite file, or Redis).
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ResultPool, ResultStore, StatusTracker, TaskStatus, type MessageLike } from "@alsek/results";
import { backend, backendLabel, closeBackend, resetBackend } from "./backend.js";

const EXAMPLE_DIR = fileURLToPath(new URL("..", import.meta.url));
const ALSEK_BIN = join(dirname(createRequire(import.meta.url).resolve("@alsek/cli/package.json")), "bin", "alsek.js");

interface Order {
  order: string;
  total: number;
  pricedBy: number;
}

/** Run a node script in this example's folder, inheriting the environment (so the backend). */
function start(args: string[]) {
  const child = spawn(process.execPath, args, { cwd: EXAMPLE_DIR, stdio: ["ignore", "pipe", "inherit"] });
  let stdout = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<{ code: number | null; stdout: string }>((resolve) =>
    child.on("close", (code) => resolve({ code, stdout })),
  );
  process.once("exit", () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM") && child.kill("SIGINT");
  });
  return { child, exited };
}

console.log(`Backend: ${backendLabel}`);
await resetBackend();

// Process 2: a worker pool. Process 3: the producer, which prints what it submitted.
const pool = start([ALSEK_BIN, "thread-pool", "src/tasks.ts", "--n_threads", "2", "--n_processes", "1", "--log-level", "warn"]);
const producer = await start(["--import", "tsx", "src/produce.ts"]).exited;
if (producer.code !== 0) throw new Error(`The producer exited with ${producer.code}.`);
const produced = JSON.parse(producer.stdout) as { producer: number; messages: (MessageLike & { args: unknown[] })[] };
console.log(`Producer (pid ${produced.producer}) submitted ${produced.messages.length} orders.`);

// The reader needs nothing but the messages' queue and uuid (plain data, no Message class).
const statusTracker = new StatusTracker(backend);
const resultStore = new ResultStore(backend);
const totals: Order[] = [];
for await (const [message, result] of new ResultPool(resultStore).istream(produced.messages, {
  signal: AbortSignal.timeout(120_000),
})) {
  // The pool records SUCCEEDED just after storing the result: wait for it rather than read.
  const status = await statusTracker.waitFor(message, [TaskStatus.SUCCEEDED, TaskStatus.FAILED], { timeout: 30_000 });
  // Plain message data from another process carries no types, so the result is `unknown`: the
  // reader says what it expects. (A message from `task.generate()` would need no cast.)
  const order = result as Order;
  console.log(`  ${order.order}: total ${order.total} (status ${TaskStatus[status]}, priced by pid ${order.pricedBy})`);
  totals.push(order);
}

pool.child.kill("SIGTERM");
const poolExit = await pool.exited;
await closeBackend();

const pids = new Set([process.pid, produced.producer, ...totals.map((order) => order.pricedBy)]);
console.log(`Reader pid ${process.pid}, producer pid ${produced.producer}, pool worker pid(s) ${[...new Set(totals.map((o) => o.pricedBy))].join(", ")}.`);
const sum = totals.reduce((total, order) => total + order.total, 0);
console.log(`Sum of totals: ${sum}.`);
if (sum !== 75 + 990 + 48 + 105 + 120 || totals.length !== 5) throw new Error("Wrong totals.");
if (pids.size < 3) throw new Error("Reader, producer and pool must be separate processes.");
if (poolExit.code !== 0) throw new Error(`The pool exited with ${poolExit.code}.`);
console.log("three processes ok");
console.log("example ok");
