import { AlsekError } from "@alsek/core";
import type { Inspector } from "../inspection/inspector.js";
import type { Route } from "../http/route.js";

/** What an action did, shown on the page the user is sent back to. */
export interface ActionOutcome {
  notice: string;
  /** Where to go by default (below the base path). */
  fallback: string;
}

/** Thrown for an action name or form the dashboard does not know. */
export class UnknownActionError extends AlsekError {}

function outcomeText(done: unknown, yes: string, no: string): string {
  return done === false || done === "gone" || done === 0 ? no : yes;
}

/** Run one POSTed action through the inspection API. */
export async function runAction(
  inspector: Inspector,
  route: Extract<Route, { kind: "message-action" | "dead-action" | "purge" | "queue-action" }>,
  form: URLSearchParams,
): Promise<ActionOutcome> {
  const queuePath = `/queues/${encodeURIComponent(route.queue)}`;
  if (route.kind === "queue-action") {
    // Global: every pool on every host stops (or resumes) claiming the queue.
    if (route.action === "pause") {
      await inspector.pause(route.queue);
      return { notice: `Paused ${route.queue}: no pool claims it until it is resumed; running messages finish.`, fallback: queuePath };
    }
    await inspector.resume(route.queue);
    return { notice: `Resumed ${route.queue}.`, fallback: queuePath };
  }
  if (route.kind === "purge") {
    const confirm = form.get("confirm") ?? "";
    if (confirm !== route.queue) {
      return { notice: `Not purged: type the queue name '${route.queue}' exactly to confirm.`, fallback: queuePath };
    }
    const count = await inspector.purge(route.queue, { confirm });
    return { notice: `Purged ${count} message(s) from ${route.queue}.`, fallback: queuePath };
  }
  if (route.kind === "dead-action") {
    const task = form.get("task");
    const filter = task ? { taskName: task } : undefined;
    const fallback = `${queuePath}/dead`;
    if (route.action === "redrive-all") return { notice: `Redrove ${await inspector.redriveDeadLetters(route.queue, filter)} dead letter(s).`, fallback };
    if (route.action === "delete-all") return { notice: `Deleted ${await inspector.deleteDeadLetters(route.queue, filter)} dead letter(s).`, fallback };
    throw new UnknownActionError(`Unknown action '${route.action}' on dead letters: use redrive-all or delete-all.`);
  }
  const { queue, uuid } = route;
  const fallback = `${queuePath}/messages/${encodeURIComponent(uuid)}`;
  switch (route.action) {
    case "redrive":
      return { notice: outcomeText(await inspector.redrive(queue, uuid), `Redrove ${uuid}: it is back in ${queue}.`, `${uuid} is not a dead letter (any more).`), fallback };
    case "delete":
      return { notice: outcomeText(await inspector.deleteDeadLetter(queue, uuid), `Deleted dead letter ${uuid}.`, `${uuid} is not a dead letter (any more).`), fallback: `${queuePath}/dead` };
    case "revoke":
      return { notice: outcomeText(await inspector.revoke(queue, uuid), `Revoked ${uuid}.`, `${uuid} could not be revoked: it is gone.`), fallback };
    case "retry-now":
      return { notice: outcomeText(await inspector.retryNow(queue, uuid), `${uuid} is ready to run now.`, `${uuid} is not delayed (any more).`), fallback };
    case "remove":
      return { notice: outcomeText(await inspector.remove(queue, uuid), `Removed ${uuid}.`, `${uuid} is gone already.`), fallback: queuePath };
    default:
      throw new UnknownActionError(`Unknown action '${route.action}' on a message: use redrive, delete, revoke, retry-now or remove.`);
  }
}
