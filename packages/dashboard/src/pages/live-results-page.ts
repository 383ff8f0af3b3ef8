import { html } from "../html/html.js";
import type { SafeHtml } from "../html/html.js";
import { pageLayout } from "../html/page-layout.js";
import type { PageContext } from "../html/page-layout.js";

/**
 * Results of a queue's messages as they complete, streamed by a `ResultPool` on the server
 * (results are kept, not consumed). Rows are added by the page script, as text only.
 */
export function liveResultsPage(context: PageContext, queues: readonly string[], queue: string | null): SafeHtml {
  const picker = html`<form method="get" action="${context.basePath}/live" class="filter"><label>Queue <select name="queue">${queues.map(
    (q) => html`<option${q === queue ? html` selected` : ""}>${q}</option>`,
  )}</select></label> <button type="submit">Watch</button></form>`;
  const body =
    queue === null
      ? html`${picker}<p class="empty">${queues.length === 0 ? "No queues yet." : "Pick a queue to watch its results arrive."}</p>`
      : html`${picker}<p>Results of messages queued in <strong>${queue}</strong> appear here as they complete.</p>
<div class="scroll"><table class="grid" id="live-results"><thead><tr><th>Completed</th><th>Message</th><th>Task</th><th>Result</th></tr></thead><tbody></tbody></table></div>`;
  return pageLayout(context, {
    heading: "Live results",
    body,
    live: queue === null ? null : `topic=results&queue=${encodeURIComponent(queue)}`,
  });
}
