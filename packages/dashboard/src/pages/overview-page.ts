import { formatAge } from "../html/format-value.js";
import { html } from "../html/html.js";
import type { SafeHtml } from "../html/html.js";
import { pageLayout } from "../html/page-layout.js";
import type { PageContext } from "../html/page-layout.js";
import { sparkline } from "../html/sparkline.js";
import type { ThroughputPoint } from "../html/sparkline.js";
import type { QueueSummary } from "../inspection/inspector.js";

/** Queues × states, oldest ready age and an hour of throughput per queue; counts update live. */
export function overviewPage(
  context: PageContext,
  queues: readonly QueueSummary[],
  throughput: ReadonlyMap<string, readonly ThroughputPoint[]>,
  notice: string | null,
): SafeHtml {
  const base = context.basePath;
  const q = (name: string): string => `${base}/queues/${encodeURIComponent(name)}`;
  const rows = queues.map(
    (s) => html`<tr data-queue="${s.queue}"><th scope="row"><a href="${q(s.queue)}">${s.queue}</a>${s.paused ? html` <span class="badge">paused</span>` : ""}</th>
<td data-label="ready"><a href="${q(s.queue)}?state=ready" data-count="ready">${s.counts.ready}</a></td>
<td data-label="delayed"><a href="${q(s.queue)}?state=delayed" data-count="delayed">${s.counts.delayed}</a></td>
<td data-label="active"><a href="${q(s.queue)}?state=active" data-count="active">${s.counts.active}</a></td>
<td data-label="dead"><a href="${q(s.queue)}/dead" data-count="deadLettered">${s.counts.deadLettered}</a></td>
<td data-label="oldest ready" data-count="oldestReadyAge">${formatAge(s.oldestReadyAgeMs)}</td>
<td data-label="last hour">${sparkline(throughput.get(s.queue) ?? [])}</td></tr>`,
  );
  const body = html`<div class="scroll"><table class="grid" id="queues"><thead><tr><th>Queue</th><th>Ready</th><th>Delayed</th><th>Active</th><th>Dead</th><th>Oldest ready</th><th>Last hour</th></tr></thead>
<tbody>${rows}</tbody></table></div>${
    queues.length === 0 ? html`<p class="empty" id="no-queues">No queue has received a message in this namespace yet.</p>` : ""
  }`;
  return pageLayout(context, { heading: "Queues", body, live: "topic=counts", notice });
}
