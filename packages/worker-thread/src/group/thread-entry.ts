// Compiled to dist/group/thread-entry.js and started as a worker thread by group-entry.ts:
// it runs one assignment at a time and posts the outcome back.
import { parentPort, workerData } from "node:worker_threads";
import { runAssignment, unsendableOutcome } from "@alsek/core";
import type { FromThread, ToThread } from "./protocol.js";

const port = parentPort;
if (!port) throw new Error("thread-entry.js must run as a worker thread of an Alsek process group.");
const exitAfterTask = (workerData as { exitAfterTask?: boolean } | undefined)?.exitAfterTask === true;

async function loadTypeScript(): Promise<void> {
  const { register } = await import("tsx/esm/api");
  register();
}

port.on("message", (message: ToThread) => {
  void (async () => {
    const { assignment } = message;
    const outcome = await runAssignment(assignment, {
      loadTypeScript,
      onStart: () => port.postMessage({ type: "started", id: assignment.id } satisfies FromThread),
    });
    const report: FromThread = { type: "outcome", id: assignment.id, outcome };
    try {
      port.postMessage(report);
    } catch (error) {
      port.postMessage({ ...report, outcome: unsendableOutcome(assignment, error) } satisfies FromThread);
    }
    // Closing the port leaves the thread alive only as long as work the task left behind
    // (timers, sockets) keeps its event loop busy: that is what completeOnlyOnThreadExit waits for.
    if (exitAfterTask) port.close();
  })();
});
