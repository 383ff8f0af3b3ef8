import { TaskStatus } from "@alsek/core";
import type { ExceptionDetails, MessageData } from "@alsek/core";
import type { CallbackLink, StatusUpdate } from "@alsek/results";
import type { ProgressUpdate } from "@alsek/core";
import { progressText } from "../html/format-progress.js";
import { formatTime, prettyJson } from "../html/format-value.js";
import { html } from "../html/html.js";
import type { SafeHtml } from "../html/html.js";
import { pageLayout } from "../html/page-layout.js";
import type { PageContext } from "../html/page-layout.js";
import type { MessageSummary } from "../inspection/inspector.js";
import { messageActions } from "./message-table.js";

/** Everything the message page shows about one message. */
export interface MessageView {
  queue: string;
  uuid: string;
  /** Where it is now; `null` when it is no longer queued (completed, removed or expired). */
  summary: MessageSummary | null;
  data: MessageData | null;
  status: StatusUpdate | null;
  /** The last progress its running attempt reported, or `null`. */
  progress: ProgressUpdate | null;
  result: { present: false } | { present: true; value: unknown };
  /** The last recorded error. */
  error: ExceptionDetails | null;
  /** Attempts started, as far as the stored data tells. */
  attempts: number;
  /** The callbacks that run after it, in order. */
  callbacks: readonly CallbackLink[];
  /** Uuids of results stored under this message's family, oldest first. */
  descendants: readonly string[];
}

function messageLink(context: PageContext, queue: string, uuid: string, label: string): SafeHtml {
  return html`<a class="mono" href="${context.basePath}/queues/${encodeURIComponent(queue)}/messages/${encodeURIComponent(uuid)}">${label}</a>`;
}

/** The chain as nested lists: each callback runs after the one above it. */
function callbackTree(context: PageContext, chain: readonly CallbackLink[]): SafeHtml {
  const [next, ...rest] = chain;
  if (next === undefined) return html``;
  return html`<ul class="tree"><li>${messageLink(context, next.queue, next.uuid, next.uuid)} <span class="task">${next.taskName}</span>${callbackTree(context, rest)}</li></ul>`;
}

function errorBlock(error: ExceptionDetails | null): SafeHtml {
  if (error === null) return html`<p class="empty">No error recorded.</p>`;
  return html`<p class="error-title"><strong>${error.name}</strong>: ${error.text ?? ""}</p>${
    error.traceback ? html`<pre class="stack">${error.traceback}</pre>` : ""
  }`;
}

function statusName(status: StatusUpdate | null): string {
  return status === null ? "UNKNOWN" : (TaskStatus[status.status] ?? "UNKNOWN");
}

/** One message: fields, data pretty-printed, live status timeline, result, error, family tree. */
export function messagePage(context: PageContext, view: MessageView, notice: string | null): SafeHtml {
  const m = view.summary;
  const d = view.data;
  const fields: [string, unknown][] = m
    ? [
        ["Queue", m.queue],
        ["Task", m.taskName],
        ["State", m.state],
        ["Priority", m.priority],
        ["Created", formatTime(m.createdAt)],
        ["Ready at", formatTime(m.readyAt)],
        ["Retries", m.retries],
        ["Attempts", view.attempts],
        ["Lease until", formatTime(m.leaseExpiresAt)],
        ["Dead letter expires", formatTime(m.deadLetterExpiresAt)],
      ]
    : [
        ["Queue", view.queue],
        ["State", "not queued (completed, removed or expired)"],
      ];
  const table = html`<table class="fields">${fields.map(([k, v]) => html`<tr><th scope="row">${k}</th><td${k === "State" ? html` id="state"` : ""}>${String(v)}</td></tr>`)}</table>`;
  const timeline = view.status
    ? html`<li data-status="${statusName(view.status)}" data-at="${view.status.updatedAt}"><span class="status s-${statusName(view.status)}">${statusName(view.status)}</span> <time>${formatTime(view.status.updatedAt)}</time></li>`
    : "";
  const result = view.result.present
    ? html`<pre id="result" data-present="true">${prettyJson(view.result.value)}</pre>`
    : html`<pre id="result" data-present="false" class="empty">No result stored (yet).</pre>`;
  const family = html`<h2>Callbacks</h2>${
    view.callbacks.length > 0
      ? html`<ul class="tree"><li>${messageLink(context, view.queue, view.uuid, view.uuid)} <span class="task">${d?.taskName ?? ""}</span>${callbackTree(context, view.callbacks)}</li></ul>`
      : html`<p class="empty">No callback.</p>`
  }`;
  const descendants = view.descendants.length
    ? html`<ul class="tree">${view.descendants.map((uuid) => html`<li>${messageLink(context, view.queue, uuid, uuid)}</li>`)}</ul>`
    : html`<p class="empty">No family results stored.</p>`;
  const body = html`${m ? html`<div class="actions">${messageActions(context, m, `/queues/${encodeURIComponent(view.queue)}/messages/${encodeURIComponent(view.uuid)}`)}</div>` : ""}
${table}
<h2>Status <span id="status" class="status s-${statusName(view.status)}">${statusName(view.status)}</span></h2>
<ol id="timeline" class="timeline">${timeline}</ol>
<h2>Progress</h2>${
    view.progress
      ? html`<pre id="progress" data-present="true">${progressText(view.progress.value)}</pre>`
      : html`<pre id="progress" data-present="false" class="empty">No progress reported.</pre>`
  }
<h2>Result</h2>${result}
<h2>Error</h2><div id="error">${errorBlock(view.error)}</div>
${d ? html`<h2>Arguments</h2><pre class="data" id="arguments">${prettyJson({ args: d.args, kwargs: d.kwargs })}</pre>
<details><summary>All stored fields</summary><pre class="data">${prettyJson(d)}</pre></details>` : ""}
${family}<h2>Family results</h2>${descendants}`;
  return pageLayout(context, {
    heading: `Message ${view.uuid}`,
    body,
    live: `topic=message&queue=${encodeURIComponent(view.queue)}&uuid=${encodeURIComponent(view.uuid)}`,
    notice,
    crumbs: html`<p class="crumbs"><a href="${context.basePath}/">Queues</a> / <a href="${context.basePath}/queues/${encodeURIComponent(view.queue)}">${view.queue}</a> /</p>`,
  });
}
