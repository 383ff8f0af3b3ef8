import { html } from "../html/html.js";
import type { SafeHtml } from "../html/html.js";
import { pageLayout } from "../html/page-layout.js";
import type { PageContext } from "../html/page-layout.js";
import type { MessageState, MessageSummary, QueueSummary } from "../inspection/inspector.js";
import { messageTable } from "./message-table.js";

/** What the queue page shows: one state, one page of it. */
export interface QueueView {
  queue: string;
  state: MessageState;
  order: "oldest" | "newest";
  taskName: string | null;
  cursor: string | null;
  summary: QueueSummary | null;
  items: readonly MessageSummary[];
  nextCursor: string | null;
}

const STATES: readonly { state: MessageState; label: string; count: keyof QueueSummary["counts"] }[] = [
  { state: "ready", label: "Ready", count: "ready" },
  { state: "delayed", label: "Delayed", count: "delayed" },
  { state: "active", label: "Active", count: "active" },
  { state: "dead", label: "Dead letters", count: "deadLettered" },
];

/** Build a query string from the non-empty values. */
export function query(params: Record<string, string | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== null && value !== undefined && value !== "") search.set(key, value);
  const text = search.toString();
  return text === "" ? "" : `?${text}`;
}

/** Messages of one queue by state, paged with the inspector's cursor, filterable by task. */
export function queuePage(context: PageContext, view: QueueView, notice: string | null): SafeHtml {
  const base = `${context.basePath}/queues/${encodeURIComponent(view.queue)}`;
  const here = `/queues/${encodeURIComponent(view.queue)}${query({ state: view.state, order: view.order, task: view.taskName, cursor: view.cursor })}`;
  const tabs = STATES.map(
    (s) => html`<a role="tab" href="${s.state === "dead" ? `${base}/dead` : `${base}${query({ state: s.state, task: view.taskName })}`}"${
      s.state === view.state ? html` aria-selected="true" class="on"` : ""
    }>${s.label} <span class="count" data-count="${s.count}">${view.summary?.counts[s.count] ?? 0}</span></a>`,
  );
  const otherOrder = view.order === "oldest" ? "newest" : "oldest";
  const filter = html`<form method="get" action="${base}" class="filter"><input type="hidden" name="state" value="${view.state}">
<label>Task <input name="task" value="${view.taskName ?? ""}" placeholder="any task" autocomplete="off"></label>
<button type="submit">Filter</button> <a href="${base}${query({ state: view.state, order: otherOrder, task: view.taskName })}">${otherOrder} first</a></form>`;
  const paging = html`<p class="paging">${view.cursor !== null ? html`<a href="${base}${query({ state: view.state, order: view.order, task: view.taskName })}">First page</a> ` : ""}${
    view.nextCursor !== null
      ? html`<a rel="next" href="${base}${query({ state: view.state, order: view.order, task: view.taskName, cursor: view.nextCursor })}">Next page</a>`
      : ""
  }</p>`;
  const purge = context.readOnly
    ? ""
    : html`<details class="purge"><summary>Purge queue</summary><form method="post" action="${base}/purge" class="action">
<input type="hidden" name="_csrf" value="${context.csrfToken}"><label>Type the queue name to remove every ready, delayed and active message: <input name="confirm" autocomplete="off" required></label>
<button type="submit" class="danger">Purge</button></form></details>`;
  const paused = view.summary?.paused === true;
  const limits = view.summary === null ? [] : [
    ...(view.summary.rateLimit === null ? [] : [`queue: ${view.summary.rateLimit.max} per ${view.summary.rateLimit.durationMs} ms`]),
    ...Object.entries(view.summary.taskRateLimits).map(([task, limit]) => `${task}: ${limit.max} per ${limit.durationMs} ms`),
  ];
  const flow = html`<div class="flow" data-paused="${paused ? "true" : "false"}">${
    paused ? html`<span class="badge">paused</span> No pool claims this queue; running messages finish.` : "Claimed by pools."
  }${limits.length > 0 ? html` Rate limits: ${limits.join("; ")}.` : ""}${
    context.readOnly
      ? ""
      : html` <form method="post" action="${base}/${paused ? "resume" : "pause"}" class="action inline"><input type="hidden" name="_csrf" value="${context.csrfToken}"><button type="submit">${paused ? "Resume" : "Pause"}</button></form>`
  }</div>`;
  const body = html`${flow}<nav class="tabs" role="tablist" data-queue="${view.queue}">${tabs}</nav>${filter}${messageTable(context, view.items, here)}${paging}${purge}`;
  return pageLayout(context, {
    heading: `Queue ${view.queue}`,
    body,
    live: `topic=counts&queue=${encodeURIComponent(view.queue)}`,
    notice,
    crumbs: html`<p class="crumbs"><a href="${context.basePath}/">Queues</a> /</p>`,
  });
}
