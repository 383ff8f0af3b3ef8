import { formatShortTime } from "../html/format-value.js";
import { html } from "../html/html.js";
import type { SafeHtml } from "../html/html.js";
import { actionForm } from "../html/page-layout.js";
import type { PageContext } from "../html/page-layout.js";
import type { MessageSummary } from "../inspection/inspector.js";

/** The actions that apply to a message in its state, as small POST forms. */
export function messageActions(context: PageContext, message: MessageSummary, back: string): SafeHtml {
  const path = `/queues/${encodeURIComponent(message.queue)}/messages/${encodeURIComponent(message.uuid)}`;
  const fields = { back };
  if (message.state === "dead") {
    return html`${actionForm(context, `${path}/redrive`, "Redrive", { fields })}${actionForm(context, `${path}/delete`, "Delete", {
      fields,
      confirm: "Delete this dead letter for good?",
      danger: true,
    })}`;
  }
  return html`${message.state === "delayed" ? actionForm(context, `${path}/retry-now`, "Run now", { fields }) : ""}${actionForm(
    context,
    `${path}/revoke`,
    "Revoke",
    { fields, confirm: "Revoke this message?" },
  )}${message.state === "active" ? "" : actionForm(context, `${path}/remove`, "Remove", { fields, confirm: "Remove this message without a trace?", danger: true })}`;
}

function timeCell(label: string, epochMs: number | null): SafeHtml {
  const { short, full } = formatShortTime(epochMs);
  return html`<td data-label="${label}"><time title="${full}">${short}</time></td>`;
}

/** A table of listed messages, each linking to its page. */
export function messageTable(context: PageContext, items: readonly MessageSummary[], back: string): SafeHtml {
  if (items.length === 0) return html`<p class="empty">No messages here.</p>`;
  const base = context.basePath;
  const rows = items.map(
    (m) => html`<tr data-uuid="${m.uuid}"><td data-label="uuid"><a class="mono" href="${base}/queues/${encodeURIComponent(m.queue)}/messages/${encodeURIComponent(m.uuid)}">${m.uuid}</a></td>
<td data-label="task">${m.taskName}</td><td data-label="priority">${m.priority}</td>${timeCell("created", m.createdAt)}
${timeCell("ready at", m.readyAt)}<td data-label="retries">${m.retries}</td>
${timeCell("lease until", m.leaseExpiresAt)}<td data-label="error">${m.errorName ?? ""}</td><td class="actions">${messageActions(context, m, back)}</td></tr>`,
  );
  return html`<div class="scroll"><table class="grid messages"><thead><tr><th>Message</th><th>Task</th><th>Priority</th><th>Created</th><th>Ready at</th><th>Retries</th><th>Lease until</th><th>Error</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>`;
}
