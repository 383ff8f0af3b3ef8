// Alsek dashboard: live updates over server-sent events. Plain DOM, no framework. Every value from
// the server is written with textContent, never parsed as HTML: payloads are untrusted.
// biome-ignore lint/suspicious/noRedundantUseStrict: served as a classic <script>, not a module, so this is not redundant.
"use strict";
(() => {
  const body = document.body;
  const base = body.getAttribute("data-base") || "";
  const live = body.getAttribute("data-live") || "";
  const indicator = document.getElementById("live-state");

  document.addEventListener("submit", (event) => {
    const form = event.target;
    const question = form?.getAttribute?.("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });

  if (!live || typeof EventSource === "undefined") return;

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }
  function age(ms) {
    if (ms === null || ms === undefined) return "—";
    if (ms < 1000) return `${Math.round(ms)} ms`;
    if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
    if (ms < 3600000) return `${Math.round(ms / 60000)} min`;
    if (ms < 86400000) return `${(ms / 3600000).toFixed(1)} h`;
    return `${Math.round(ms / 86400000)} d`;
  }
  function time(ms) {
    return new Date(ms).toISOString().replace("T", " ").replace("Z", " UTC");
  }
  function link(href, text) {
    const a = el("a", text);
    a.href = href;
    return a;
  }
  function queueHref(queue) {
    return `${base}/queues/${encodeURIComponent(queue)}`;
  }
  function messageHref(queue, uuid) {
    return `${queueHref(queue)}/messages/${encodeURIComponent(uuid)}`;
  }
  function setCounts(scope, summary) {
    const counts = summary.counts;
    scope.querySelectorAll("[data-count]").forEach((node) => {
      const key = node.getAttribute("data-count");
      if (key === "oldestReadyAge") node.textContent = age(summary.oldestReadyAgeMs);
      else if (key in counts) node.textContent = String(counts[key]);
    });
  }
  function addQueueRow(tbody, summary) {
    const row = el("tr");
    row.setAttribute("data-queue", summary.queue);
    const head = el("th");
    head.scope = "row";
    head.appendChild(link(queueHref(summary.queue), summary.queue));
    row.appendChild(head);
    [["ready", "?state=ready"], ["delayed", "?state=delayed"], ["active", "?state=active"], ["deadLettered", "/dead"]].forEach((pair) => {
      const cell = el("td");
      const a = link(queueHref(summary.queue) + pair[1], "");
      a.setAttribute("data-count", pair[0]);
      cell.appendChild(a);
      row.appendChild(cell);
    });
    const oldest = el("td");
    oldest.setAttribute("data-count", "oldestReadyAge");
    row.appendChild(oldest);
    row.appendChild(el("td"));
    tbody.appendChild(row);
    const empty = document.getElementById("no-queues");
    if (empty) empty.remove();
    return row;
  }
  function onCounts(data) {
    const table = document.getElementById("queues");
    const tabs = document.querySelector("[data-queue].tabs") || document.querySelector(".tabs[data-queue]");
    const queueName = tabs ? tabs.getAttribute("data-queue") : new URLSearchParams(live).get("queue");
    data.queues.forEach((summary) => {
      if (table) {
        let row = null;
        table.querySelectorAll("tbody tr").forEach((tr) => {
          if (tr.getAttribute("data-queue") === summary.queue) row = tr;
        });
        setCounts(row || addQueueRow(table.tBodies[0], summary), summary);
      } else if (queueName === summary.queue) {
        setCounts(document.querySelector("main"), summary);
      }
    });
  }
  function onStatus(data) {
    const badge = document.getElementById("status");
    if (badge) {
      badge.textContent = data.status;
      badge.className = `status s-${data.status}`;
    }
    const state = document.getElementById("state");
    const where = { RUNNING: "active", SUCCEEDED: "completed", FAILED: "failed" }[data.status];
    if (state && where) state.textContent = where;
    // The actions shown were for the message's old state; a reload shows the ones that apply now.
    const actions = document.querySelector("main > .actions");
    if (actions && (data.status === "SUCCEEDED" || data.status === "FAILED")) actions.hidden = true;
    const timeline = document.getElementById("timeline");
    if (!timeline) return;
    const last = timeline.lastElementChild;
    if (last && last.getAttribute("data-status") === data.status && last.getAttribute("data-at") === String(data.updatedAt)) return;
    const item = el("li");
    item.setAttribute("data-status", data.status);
    item.setAttribute("data-at", String(data.updatedAt));
    item.appendChild(el("span", data.status, `status s-${data.status}`));
    item.appendChild(document.createTextNode(" "));
    item.appendChild(el("time", time(data.updatedAt)));
    timeline.appendChild(item);
  }
  function onProgress(data) {
    var box = document.getElementById("progress");
    if (!box) return;
    box.textContent = data.text;
    box.setAttribute("data-present", "true");
    box.className = "";
  }
  function onResult(data) {
    const box = document.getElementById("result");
    if (box && data.uuid === new URLSearchParams(live).get("uuid")) {
      box.textContent = data.text;
      box.setAttribute("data-present", "true");
      box.className = "";
    }
    const table = document.getElementById("live-results");
    if (!table) return;
    const row = el("tr");
    row.setAttribute("data-uuid", data.uuid);
    row.appendChild(el("td", data.completedAt ? time(data.completedAt) : ""));
    const cell = el("td");
    const a = link(messageHref(data.queue, data.uuid), data.uuid);
    a.className = "mono";
    cell.appendChild(a);
    row.appendChild(cell);
    row.appendChild(el("td", data.taskName || ""));
    const result = el("td");
    result.appendChild(el("pre", data.text));
    row.appendChild(result);
    const tbody = table.tBodies[0];
    tbody.insertBefore(row, tbody.firstChild);
    while (tbody.rows.length > 200) tbody.deleteRow(tbody.rows.length - 1);
  }

  const source = new EventSource(`${base}/events?${live}`);
  source.onopen = () => {
    if (indicator && indicator.className.indexOf("ready") < 0) indicator.className = "conn on";
  };
  source.onerror = () => {
    if (indicator) indicator.className = "conn off";
  };
  function on(name, handler) {
    source.addEventListener(name, (event) => {
      handler(JSON.parse(event.data));
    });
  }
  on("ready", () => {
    if (indicator) indicator.className = "conn on ready";
  });
  on("counts", onCounts);
  on("status", onStatus);
  on("progress", onProgress);
  on("result", onResult);
})();
