import type { Backend } from "@alsek/core";
import { ResultNotFoundError, ResultStore, StatusNotFoundError, StatusTracker } from "@alsek/results";
import type { SafeHtml } from "../html/html.js";
import type { PageContext } from "../html/page-layout.js";
import type { ThroughputPoint } from "../html/sparkline.js";
import type { Route } from "../http/route.js";
import type { Inspector, MessageState, MessageSummary } from "../inspection/inspector.js";
import { deadLettersPage } from "../pages/dead-letters-page.js";
import { liveResultsPage } from "../pages/live-results-page.js";
import { messagePage } from "../pages/message-page.js";
import type { MessageView } from "../pages/message-page.js";
import { overviewPage } from "../pages/overview-page.js";
import { queuePage } from "../pages/queue-page.js";

const PAGE_SIZE = 50;
const STATES: readonly MessageState[] = ["ready", "delayed", "active", "dead"];

/** Read what a GET page shows and render it. */
export async function renderPage(
  backend: Backend,
  inspector: Inspector,
  context: PageContext,
  route: Exclude<Route, { kind: "asset" | "metrics" | "events" | "message-action" | "dead-action" | "purge" | "queue-action" }>,
  url: URL,
): Promise<{ html: SafeHtml; status: number }> {
  const params = url.searchParams;
  const notice = params.get("notice");
  const task = params.get("task") || null;
  const cursor = params.get("cursor") || null;
  switch (route.kind) {
    case "overview": {
      const queues = await inspector.listQueues();
      const throughput = new Map<string, ThroughputPoint[]>();
      await Promise.all(queues.map(async (q) => throughput.set(q.queue, await inspector.throughput(q.queue, { minutes: 60 }))));
      return { html: overviewPage(context, queues, throughput, notice), status: 200 };
    }
    case "queue": {
      const stateParam = params.get("state") ?? "ready";
      const state = (STATES as readonly string[]).includes(stateParam) ? (stateParam as MessageState) : "ready";
      const order = params.get("order") === "newest" ? "newest" : "oldest";
      const [queues, page] = await Promise.all([
        inspector.listQueues(),
        inspector.listMessages(route.queue, { state, order, cursor, limit: PAGE_SIZE, ...(task === null ? {} : { taskName: task }) }),
      ]);
      const summary = queues.find((q) => q.queue === route.queue) ?? null;
      return {
        html: queuePage(context, { queue: route.queue, state, order, taskName: task, cursor, summary, items: page.items, nextCursor: page.nextCursor }, notice),
        status: 200,
      };
    }
    case "dead": {
      const [queues, page] = await Promise.all([
        inspector.listQueues(),
        inspector.listMessages(route.queue, { state: "dead", order: "newest", cursor, limit: PAGE_SIZE, ...(task === null ? {} : { taskName: task }) }),
      ]);
      const summary = queues.find((q) => q.queue === route.queue) ?? null;
      return { html: deadLettersPage(context, { queue: route.queue, taskName: task, cursor, summary, items: page.items, nextCursor: page.nextCursor }, notice), status: 200 };
    }
    case "message": {
      const view = await readMessage(backend, inspector, route.queue, route.uuid);
      return { html: messagePage(context, view, notice), status: 200 };
    }
    case "live": {
      const queues = (await inspector.listQueues()).map((q) => q.queue);
      const queue = params.get("queue");
      return { html: liveResultsPage(context, queues, queue !== null && queues.includes(queue) ? queue : null), status: 200 };
    }
  }
}

async function readMessage(backend: Backend, inspector: Inspector, queue: string, uuid: string): Promise<MessageView> {
  const detail = await inspector.getMessage(queue, uuid);
  const ref = { queue, uuid };
  let status = detail?.status ?? null;
  if (status === null) {
    try {
      status = await new StatusTracker(backend).get(ref);
    } catch (error) {
      if (!(error instanceof StatusNotFoundError)) throw error;
    }
  }
  let result: MessageView["result"] = detail?.result ?? { present: false };
  if (!result.present) {
    try {
      result = { present: true, value: await new ResultStore(backend).get(ref, { keep: true, timeout: 0 }) };
    } catch (error) {
      if (!(error instanceof ResultNotFoundError)) throw error;
    }
  }
  const progress = detail?.progress ?? (await new StatusTracker(backend).getProgress(ref));
  const data = detail?.data ?? null;
  const descendants = detail?.descendants ?? (await backend.descendantResults(queue, uuid));
  const summary: MessageSummary | null = detail;
  return { queue, uuid, summary, data, status, progress, result, descendants, error: detail?.error ?? null, attempts: detail?.attempts ?? 0, callbacks: detail?.callbacks ?? [] };
}
