import { expandMessageData } from "@alsek/core";
import { Message } from "@alsek/core";
import { getRegisteredTask } from "@alsek/core";
import { runTask } from "@alsek/core";
import type { AttemptAbort, ProgressValue, RunContext } from "@alsek/core";
import type { Assignment } from "./assignment.js";
import { importTaskModule } from "./import-task-module.js";
import { ProgressThrottle } from "./progress-throttle.js";
import { encodeWireError, poolWireError, type WireOutcome } from "./wire-outcome.js";

/** Whether a module URL needs a TypeScript loader (`.ts`, `.mts`, `.cts`, `.tsx`). */
export function isTypeScriptModule(moduleUrl: string): boolean {
  return /\.[cm]?tsx?$/.test(new URL(moduleUrl).pathname);
}

/**
 * Task modules this worker imported already. A warm worker skips `import()` for them: even a
 * cached dynamic import costs several event-loop turns, on every message's critical path.
 */
const imported = new Set<string>();

/** Options of {@link runAssignment}. */
export interface RunAssignmentOptions {
  /**
   * Called once before the first TypeScript task module is imported in this thread or process;
   * worker entries register tsx here (it is their optional peer dependency, not core's).
   */
  loadTypeScript?: () => Promise<void>;
  /**
   * Called once the task's module is loaded and the task found, right before it runs: the
   * timeout clock starts here, so a cold worker's import time is not charged to the task.
   */
  onStart?: (() => void) | undefined;
  /**
   * The attempt's abort switch, which the task sees as `message.signal`: the worker aborts it when
   * the pool asks it to stop the attempt, before any hard stop.
   */
  abort?: AttemptAbort | undefined;
  /**
   * Where the task's `message.progress(value)` reports go, throttled here (see
   * {@link ProgressThrottle}): the worker entry sends them to the pool, which writes them under
   * the lease. The last pending value is sent before this assignment's outcome is returned.
   */
  onProgress?: ((value: ProgressValue) => void) | undefined;
}

let typeScriptReady: Promise<void> | null = null;

/**
 * Run one assignment in a worker: import the task's module (Node caches it, so a warm worker pays
 * once), find the task in the registry and run it with {@link runTask}. Never rejects: a module
 * that fails to import or a task it does not define becomes a failed outcome that says so.
 */
export function runAssignment(assignment: Assignment, options: RunAssignmentOptions = {}): Promise<WireOutcome> {
  // A warm worker goes straight to the task: no async frame around it, one promise less per
  // message (a worker thread's AsyncLocalStorage pays a hook call for each).
  return imported.has(assignment.moduleUrl) ? runImported(assignment, options) : importThenRun(assignment, options);
}

async function importThenRun(assignment: Assignment, options: RunAssignmentOptions): Promise<WireOutcome> {
  try {
    if (isTypeScriptModule(assignment.moduleUrl) && options.loadTypeScript) {
      typeScriptReady ??= options.loadTypeScript();
      await typeScriptReady;
    }
    await importTaskModule(assignment.moduleUrl);
    imported.add(assignment.moduleUrl);
  } catch (error) {
    return { ok: false, error: encodeWireError(error) };
  }
  return runImported(assignment, options);
}

/** {@link runAssignment} once the task's module is imported. Never rejects. */
function runImported(assignment: Assignment, options: RunAssignmentOptions): Promise<WireOutcome> {
  try {
    const task = getRegisteredTask(assignment.taskName);
    if (!task) {
      return Promise.resolve({
        ok: false,
        error: poolWireError(
          "UnknownTaskError",
          `Task '${assignment.taskName}' is not registered after importing ${assignment.moduleUrl}: ` +
            "define it with task() at the top level of that module.",
        ),
      });
    }
    options.onStart?.();
    const onProgress = options.onProgress;
    // Made on the first report: a task that reports none costs one closure.
    let throttle: ProgressThrottle | null = null;
    const message = new Message(expandMessageData(assignment.messageData));
    const context: RunContext = {};
    if (options.abort !== undefined) context.abort = options.abort;
    if (onProgress) context.progress = (value: ProgressValue) => (throttle ??= new ProgressThrottle(onProgress)).push(value);
    return runTask(task, message, context).then((outcome): WireOutcome => {
      try {
        (throttle as ProgressThrottle | null)?.flush();
        return outcome.ok ? { ok: true, result: outcome.result } : { ok: false, error: encodeWireError(outcome.error) };
      } catch (error) {
        return { ok: false, error: encodeWireError(error) };
      }
    });
  } catch (error) {
    return Promise.resolve({ ok: false, error: encodeWireError(error) });
  }
}

/**
 * The outcome to report when the real one cannot cross the boundary (a result that structured
 * clone refuses, such as a function or a class instance with private fields).
 */
export function unsendableOutcome(assignment: Assignment, error: unknown): WireOutcome {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    ok: false,
    error: poolWireError(
      "ValidationError",
      `The result of task '${assignment.taskName}' cannot be sent back to the pool (${reason}): ` +
        "return plain data (objects, arrays, strings, numbers, Dates, Maps...).",
    ),
  };
}
