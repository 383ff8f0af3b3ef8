// Compiled to dist/child/child-entry.js and forked by ThreadWorkerPool: a process group, i.e. one
// ThreadGroup in a child process, talking to the pool's main process over IPC.
import { fileURLToPath } from "node:url";
import { GROUP_CONFIG_ENV, type FromGroup, type GroupConfig, type ToGroup } from "./protocol.js";
import { threadResourceLimits } from "../thread/thread-exec-argv.js";
import { ThreadGroup } from "../thread/thread-group.js";

const config = JSON.parse(process.env[GROUP_CONFIG_ENV] ?? "null") as GroupConfig | null;
if (!config || !process.send) {
  throw new Error("child-entry.js must be forked by ThreadWorkerPool (IPC channel and config required).");
}

// The threads inherit this process's flags (the pool's, as forked); heap sizes are set explicitly.
const threadOptions = { resourceLimits: threadResourceLimits(process.execArgv) };
const group = new ThreadGroup(
  config,
  fileURLToPath(new URL("../thread/thread-entry.js", import.meta.url)),
  (started, reports) => {
    // A pool that is gone (killed) fails the write asynchronously: ignored, since the 'disconnect'
    // that follows ends this process.
    if (process.connected) process.send?.({ type: "outcomes", started, reports } satisfies FromGroup, undefined, undefined, ignoreLostPool);
  },
  threadOptions,
  (error) => {
    if (process.connected) {
      process.send?.({ type: "thread-start-failed", message: error.message } satisfies FromGroup, undefined, undefined, ignoreLostPool);
    }
  },
  ({ id, value }) => {
    if (process.connected) process.send?.({ type: "progress", id, value } satisfies FromGroup, undefined, undefined, ignoreLostPool);
  },
);

function ignoreLostPool(): void {}

process.on("message", (message: ToGroup) => {
  switch (message.type) {
    case "run":
      group.run(message.assignments);
      break;
    case "cancel":
      group.cancel(message.id, message.reason);
      break;
    case "drop-queued":
      group.dropQueued(message.reason);
      break;
    case "stop":
      void group.stop(message.reason).then(() => process.disconnect());
      break;
  }
});

process.send({ type: "ready" } satisfies FromGroup);

// The main process owns this group's life: Ctrl-C in a terminal reaches the whole process group,
// and the main process decides (drain first, then stop us).
process.on("SIGINT", () => {});
// Orphaned (the main process died): nobody can settle our outcomes any more, so stop at once.
process.on("disconnect", () => process.exit(0));
