// Compiled to dist/child/child-entry.js and forked by ProcessWorkerPool: a warm process that
// runs one assignment at a time, reused until the pool recycles or replaces it.
import { runAssignment, unsendableOutcome } from "@alsek/core";
import type { FromChild, ToChild } from "./protocol.js";

if (!process.send) throw new Error("child-entry.js must be forked by ProcessWorkerPool (IPC channel required).");

async function loadTypeScript(): Promise<void> {
  const { register } = await import("tsx/esm/api");
  register();
}

function send(message: FromChild): void {
  if (process.connected) process.send!(message);
}

process.on("message", (message: ToChild) => {
  if (message.type === "exit") {
    // Disconnecting inside the 'message' handler trips Node's IPC bookkeeping; leave the tick first.
    setImmediate(() => process.disconnect());
    return;
  }
  void (async () => {
    const { assignment } = message;
    const outcome = await runAssignment(assignment, {
      loadTypeScript,
      onStart: () => send({ type: "started", id: assignment.id }),
    });
    const report: FromChild = { type: "outcome", id: assignment.id, outcome, rssBytes: process.memoryUsage.rss() };
    try {
      send(report);
    } catch (error) {
      send({ ...report, outcome: unsendableOutcome(assignment, error) });
    }
  })();
});

// The pool decides when a running task stops (Ctrl-C reaches the whole terminal process group).
process.on("SIGINT", () => {});
// Orphaned or told to leave: nothing can settle our work any more.
process.on("disconnect", () => process.exit(0));
