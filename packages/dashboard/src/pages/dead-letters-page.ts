import { html } from "../html/html.js";
import type { SafeHtml } from "../html/html.js";
import { actionForm, pageLayout } from "../html/page-layout.js";
import type { PageContext } from "../html/page-layout.js";
import type { MessageSummary, QueueSummary } from "../inspection/inspector.js";
import { messageTable } from "./message-table.js";
import { query } from "./queue-page.js";

/** Dead letters of one queue: list, filter by task, redrive or delete one or all matching. */
export function deadLettersPage(
  context: PageContext,
  view: { queue: string; taskName: string | null; cursor: string | null; summary: QueueSummary | null; items: readonly MessageSummary[]; nextCursor: string | null },
  notice: string | null,
): SafeHtml {
  const path = `/queues/${encodeURIComponent(view.queue)}/dead`;
  const base = `${context.basePath}${path}`;
  const here = `${path}${query({ task: view.taskName, cursor: view.cursor })}`;
  const matching = view.taskName === null ? "all dead letters" : `all dead letters of task ${view.taskName}`;
  const fields: Record<string, string> = { back: here, ...(view.taskName === null ? {} : { task: view.taskName }) };
  const bulk =
    view.items.length === 0
      ? ""
      : html`<div class="bulk">${actionForm(context, `${path}/redrive-all`, `Redrive ${matching}`, { fields, confirm: `Redrive ${matching}?` })}${actionForm(
          context,
          `${path}/delete-all`,
          `Delete ${matching}`,
          { fields, confirm: `Delete ${matching} for good?`, danger: true },
        )}</div>`;
  const body = html`<p>Dead letters in this queue: <span class="count" data-count="deadLettered">${view.summary?.counts.deadLettered ?? 0}</span></p>
<form method="get" action="${base}" class="filter"><label>Task <input name="task" value="${view.taskName ?? ""}" placeholder="any task" autocomplete="off"></label> <button type="submit">Filter</button></form>
${bulk}${messageTable(context, view.items, here)}<p class="paging">${
    view.nextCursor !== null ? html`<a rel="next" href="${base}${query({ task: view.taskName, cursor: view.nextCursor })}">Next page</a>` : ""
  }</p>`;
  return pageLayout(context, {
    heading: `Dead letters of ${view.queue}`,
    body,
    live: `topic=counts&queue=${encodeURIComponent(view.queue)}`,
    notice,
    crumbs: html`<p class="crumbs"><a href="${context.basePath}/">Queues</a> / <a href="${context.basePath}/queues/${encodeURIComponent(view.queue)}">${view.queue}</a> /</p>`,
  });
}
