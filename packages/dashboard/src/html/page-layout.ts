import { html } from "./html.js";
import type { HtmlValue, SafeHtml } from "./html.js";

/** What every page needs to render its links, forms and live wiring. */
export interface PageContext {
  /** The mount path, without a trailing slash (`""` at the root). */
  basePath: string;
  /** Shown in the title and header. */
  title: string;
  /** Whether actions are hidden. */
  readOnly: boolean;
  /** The CSRF token to put in every form. */
  csrfToken: string;
  /** Version of the assets, for cache busting. */
  assetVersion: string;
}

/** A full page. `live` is the query string of the page's event stream, or `null` for none. */
export function pageLayout(
  context: PageContext,
  options: { heading: string; body: HtmlValue; live: string | null; notice?: string | null; crumbs?: SafeHtml },
): SafeHtml {
  const base = context.basePath;
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light dark"><title>${options.heading} · ${context.title}</title>
<link rel="stylesheet" href="${base}/assets/dashboard.css?v=${context.assetVersion}">
<script src="${base}/assets/dashboard.js?v=${context.assetVersion}" defer></script></head>
<body data-base="${base}" data-live="${options.live ?? ""}">
<header class="top"><a class="brand" href="${base}/">${context.title}</a><nav><a href="${base}/">Queues</a><a href="${base}/live">Live results</a><a href="${base}/metrics">Metrics</a></nav>${
    context.readOnly ? html`<span class="badge">read-only</span>` : ""
  }<span class="conn" id="live-state" title="Live updates">●</span></header>
<main>${options.crumbs ?? ""}<h1>${options.heading}</h1>${
    options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ""
  }${options.body}</main></body></html>`;
}

/** A POST form with the CSRF token; `confirm` asks the browser to confirm first. */
export function actionForm(
  context: PageContext,
  action: string,
  label: string,
  options: { fields?: Record<string, string>; confirm?: string; danger?: boolean } = {},
): SafeHtml {
  if (context.readOnly) return html``;
  const fields = Object.entries(options.fields ?? {}).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
  return html`<form method="post" action="${context.basePath}${action}" class="action"${
    options.confirm ? html` data-confirm="${options.confirm}"` : ""
  }><input type="hidden" name="_csrf" value="${context.csrfToken}">${fields}<button type="submit"${
    options.danger ? html` class="danger"` : ""
  }>${label}</button></form>`;
}
