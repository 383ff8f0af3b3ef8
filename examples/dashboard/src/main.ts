// The operator's side of the dashboard example. Three processes share one backend (an SQLite
// file, or Redis with REDIS_URL): the dashboard (src/dashboard.ts), an `alsek thread-pool` and
// a producer (src/produce.ts). This script starts them and then uses the dashboard over HTTP as
// a browser would: it follows the live queue counts, redrives a dead letter with a CSRF-protected
// POST, and reads the Prometheus metrics.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { backend, backendLabel, closeBackend, resetBackend } from "./backend.js";

const EXAMPLE_DIR = fileURLToPath(new URL("..", import.meta.url));
const ALSEK_BIN = join(dirname(createRequire(import.meta.url).resolve("@alsek/cli/package.json")), "bin", "alsek.js");
const QUEUE = "thumbnails";

interface Counts {
  ready: number;
  delayed: number;
  active: number;
  deadLettered: number;
}

/** Run a node script in this example's folder, inheriting the environment (so the backend). */
function start(args: string[]) {
  const child = spawn(process.execPath, args, { cwd: EXAMPLE_DIR, stdio: ["ignore", "pipe", "inherit"] });
  let stdout = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<{ code: number | null; stdout: string }>((resolve) => child.on("close", (code) => resolve({ code, stdout })));
  process.once("exit", () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  return { child, exited, stdout: () => stdout };
}

async function until(what: string, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

console.log(`Backend: ${backendLabel}`);
await resetBackend();

// Process 1: the dashboard. Its first line is its URL.
const dashboard = start(["--import", "tsx", "src/dashboard.ts"]);
await until("the dashboard to listen", () => dashboard.stdout().includes("\n"));
const url = dashboard.stdout().split(" ")[0]!;
console.log(`Dashboard listening (pid ${dashboard.child.pid}); open ${url} while it runs.`);

// Follow the live counts as a browser tab does: one server-sent event stream.
let counts: Counts | null = null;
const stopEvents = new AbortController();
const events = await fetch(`${url}events?topic=counts`, { signal: stopEvents.signal });
void (async () => {
  let buffer = "";
  for await (const chunk of events.body!.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const data = /^data: (.*)$/m.exec(buffer.slice(0, end))?.[1];
      buffer = buffer.slice(end + 2);
      if (data === undefined) continue;
      const queues = (JSON.parse(data) as { queues?: { queue: string; counts: Counts }[] }).queues ?? [];
      counts = queues.find((q) => q.queue === QUEUE)?.counts ?? counts;
    }
  }
})().catch(() => undefined);
const settled = (dead: number) => () =>
  counts !== null && counts.ready + counts.delayed + counts.active === 0 && counts.deadLettered === dead;

// Process 2: the pool. Process 3: the producer.
const pool = start([ALSEK_BIN, "thread-pool", "src/tasks.ts", "--n_threads", "2", "--n_processes", "1", "--log-level", "error"]);
const producer = await start(["--import", "tsx", "src/produce.ts"]).exited;
if (producer.code !== 0) throw new Error(`The producer exited with ${producer.code}.`);
const produced = JSON.parse(producer.stdout) as { producer: number; submitted: number };
console.log(`Producer (pid ${produced.producer}) submitted ${produced.submitted} thumbnails.`);

await until("the queue to drain, one dead letter left", settled(1));
console.log("Live counts: queue drained, 1 dead letter (the watermark font is missing).");

// Fix the cause, then redrive from the dead-letter page, as an operator would: the form carries a
// CSRF token that matches the cookie the page set.
await backend.setValue("font-installed", true);
const deadPage = await fetch(`${url}queues/${QUEUE}/dead`);
const cookie = deadPage.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
const token = /name="_csrf" value="([^"]+)"/.exec(await deadPage.text())?.[1];
if (token === undefined) throw new Error("The dead-letter page has no redrive form.");
const redrive = await fetch(`${url}queues/${QUEUE}/dead/redrive-all`, {
  method: "POST",
  headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({ _csrf: token }),
  redirect: "manual",
});
const notice = new URL(redrive.headers.get("location") ?? "", url).searchParams.get("notice");
console.log(`Redrive: ${notice}`);
if (redrive.status !== 303 || notice !== "Redrove 1 dead letter(s).") throw new Error(`Redrive failed: ${redrive.status} ${notice}`);

await until("the redriven thumbnail to complete", settled(0));
console.log("Live counts: queue drained, no dead letter.");

const metrics = await (await fetch(`${url}metrics`)).text();
const metric = (name: string) => Number(new RegExp(`^${name}\\{queue="${QUEUE}"\\} (\\d+)`, "m").exec(metrics)?.[1]);
const completed = metric("alsek_messages_completed_total");
const failed = metric("alsek_messages_failed_total");
console.log(`Metrics: ${completed} completed, ${failed} failed.`);

stopEvents.abort();
pool.child.kill("SIGTERM");
dashboard.child.kill("SIGTERM");
const [poolExit, dashboardExit] = await Promise.all([pool.exited, dashboard.exited]);
await closeBackend();
if (completed !== 6 || failed !== 1) throw new Error(`Expected 6 completed and 1 failed, got ${completed} and ${failed}.`);
if (poolExit.code !== 0 || dashboardExit.code !== 0) throw new Error(`Exit codes: pool ${poolExit.code}, dashboard ${dashboardExit.code}.`);
console.log("example ok");
