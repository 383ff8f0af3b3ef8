// Worker pools from the shell: spawns `alsek thread-pool` and `alsek process-pool` on
// src/tasks.ts, submits messages, waits for their results, then stops both pools with SIGTERM.
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ResultPool } from "@alsek/results";
import { backend, backendLabel, closeBackend, resetBackend } from "./backend.js";
import { later, resultStore, shout, sumN } from "./tasks.js";

const EXAMPLE_DIR = fileURLToPath(new URL("..", import.meta.url));
// The binary of @alsek/cli, as `pnpm exec alsek` would run it.
const ALSEK_BIN = join(dirname(createRequire(import.meta.url).resolve("@alsek/cli/package.json")), "bin", "alsek.js");

/** Start `alsek ...args` in this example's folder; its output goes to ours, prefixed. */
function alsek(name: string, args: string[]): { child: ChildProcess; exited: Promise<number | null> } {
  console.log(`$ alsek ${args.join(" ")}`);
  // The environment (REDIS_URL, or the SQLite file's path) is inherited: same backend as ours.
  const child = spawn(process.execPath, [ALSEK_BIN, ...args], { cwd: EXAMPLE_DIR, stdio: ["ignore", "pipe", "pipe"] });
  const prefix = (chunk: Buffer): string => chunk.toString().replace(/^(?=.)/gm, `  [${name}] `);
  child.stdout!.on("data", (chunk: Buffer) => process.stdout.write(prefix(chunk)));
  child.stderr!.on("data", (chunk: Buffer) => process.stderr.write(prefix(chunk)));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  // Should this script fail midway, don't leave the pool running: two stop signals make it kill
  // its workers and exit at once.
  const stopNow = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM") && child.kill("SIGINT");
  };
  process.once("exit", stopNow);
  return { child, exited };
}

console.log(`Backend: ${backendLabel}`);
await resetBackend();

// A file path or a dotted path; -qu limits (and orders) the queues a pool consumes.
const threads = alsek("thread-pool", ["thread-pool", "src/tasks.ts", "-qu", "text", "--n_threads", "2", "--n_processes", "1"]);
const processes = alsek("process-pool", ["process-pool", "src.tasks", "-qu", "math", "--n_processes", "2"]);

const messages = [
  await shout.generate({ args: ["hello"] }),
  await sumN.generate({ args: [100] }),
  await shout.generate({ args: ["alsek"] }),
  await sumN.generate({ args: [1000] }),
];
const waiting = await later.generate();

const results: string[] = [];
for await (const [message, result] of new ResultPool(resultStore).stream(messages, { signal: AbortSignal.timeout(120_000) })) {
  console.log(`${message.taskName}(${String(message.args[0])}) = ${String(result)}`);
  results.push(String(result));
}

// SIGTERM drains a pool gracefully (a second one would exit at once).
threads.child.kill("SIGTERM");
processes.child.kill("SIGTERM");
const codes = await Promise.all([threads.exited, processes.exited]);
console.log(`Pools exited with codes ${codes.join(", ")}.`);

const stillQueued = (await backend.countQueue(waiting.queue)).ready;
console.log(`Queue 'later' (not in any -qu list) still holds ${stillQueued} message.`);
await closeBackend();

const failures: string[] = [];
if (!results[0]?.startsWith("HELLO! (thread") || !results[2]?.startsWith("ALSEK! (thread")) failures.push("shout ran on the thread pool");
if (!results[1]?.startsWith("5050 (process") || !results[3]?.startsWith("500500 (process")) failures.push("sumN ran on the process pool");
if (codes.some((code) => code !== 0)) failures.push("both pools exit 0 after SIGTERM");
if (stillQueued !== 1) failures.push("the 'later' message stays queued");
if (failures.length > 0) throw new Error(`Failed: ${failures.join("; ")}.`);
console.log("example ok");
