// Compiled to dist/group/group-entry.js and forked by ThreadWorkerPool: one process group that
// runs up to nThreads worker threads and reports outcomes to the pool's main process.
import { fileURLToPath } from "node:url";
import type { Assignment, OutcomeReport } from "@alsek/core";
import { GROUP_CONFIG_ENV, type FromGroup, type GroupConfig, type ToGroup } from "./protocol.js";
import { ThreadSlot } from "./thread-slot.js";

const config = JSON.parse(process.env[GROUP_CONFIG_ENV] ?? "null") as GroupConfig | null;
if (!config || !process.send) {
  throw new Error("group-entry.js must be forked by ThreadWorkerPool (IPC channel and config required).");
}
const threadEntry = fileURLToPath(new URL("./thread-entry.js", import.meta.url));

const pending: Assignment[] = [];
const slots: ThreadSlot[] = [];
let outbox: OutcomeReport[] = [];
let flushScheduled = false;

function report(entry: OutcomeReport): void {
  outbox.push(entry);
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flush);
  }
  pump();
}

function flush(): void {
  flushScheduled = false;
  if (outbox.length === 0 || !process.connected) return;
  const reports = outbox;
  outbox = [];
  process.send?.({ type: "outcomes", reports } satisfies FromGroup);
}

function pump(): void {
  while (pending.length > 0) {
    let slot = slots.find((candidate) => candidate.idle);
    if (!slot && slots.length < config!.nThreads) {
      slot = new ThreadSlot(threadEntry, config!.completeOnlyOnThreadExit, report);
      slots.push(slot);
    }
    if (!slot) return;
    slot.run(pending.shift()!);
  }
}

process.on("message", (message: ToGroup) => {
  switch (message.type) {
    case "run":
      pending.push(...message.assignments);
      pump();
      break;
    case "cancel": {
      const index = pending.findIndex((assignment) => assignment.id === message.id);
      if (index >= 0) {
        pending.splice(index, 1);
        report({ id: message.id, outcome: { ok: false, error: message.reason } });
      } else slots.find((slot) => slot.runningId === message.id)?.stop(message.reason);
      break;
    }
    case "stop":
      for (const assignment of pending.splice(0)) {
        report({ id: assignment.id, outcome: { ok: false, error: message.reason } });
      }
      for (const slot of slots) slot.stop(message.reason);
      // Exit once every thread has reported (stopped threads report on exit).
      const waitForThreads = (): void => {
        if (slots.every((slot) => slot.idle)) {
          flush();
          process.disconnect();
        } else setTimeout(waitForThreads, 10);
      };
      waitForThreads();
      break;
  }
});

// The main process owns this group's life: Ctrl-C in a terminal reaches the whole process group,
// and the main process decides (drain first, then stop us).
process.on("SIGINT", () => {});
// Orphaned (the main process died): nobody can settle our outcomes any more, so stop at once.
process.on("disconnect", () => process.exit(0));
