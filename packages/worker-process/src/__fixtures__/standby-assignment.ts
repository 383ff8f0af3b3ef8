// Assignments of the standby tests' task (see standby-tasks.ts), built as the pool builds them.
import { fileURLToPath } from "node:url";
import type { Assignment } from "@alsek/worker";
import { standbyTasksUrl } from "./standby-tasks.js";

/** The compiled child entry the tests fork (run `pnpm build` first). */
export const childEntry = fileURLToPath(new URL("../../dist/child/child-entry.js", import.meta.url));

let lastId = 0;

/** An assignment of `standbyStep(mode, arg)` with a fresh id. */
export function standbyAssignment(mode: string, arg = "", timeoutMs = 60_000): Assignment {
  const id = ++lastId;
  return {
    id,
    moduleUrl: standbyTasksUrl,
    taskName: "standbyStep",
    messageData: { taskName: "standbyStep", createdAt: Date.now(), uuid: `standby-${id}`, args: [mode, arg] },
    timeoutMs,
  };
}
