import { ValidationError, validateMessageUuid, validateQueueName } from "@alsek/core";
import { QueueInspector } from "@alsek/results";
import { runAction, UnknownActionError } from "../actions/run-action.js";
import { StaticAssets } from "../assets/static-assets.js";
import type { PageContext } from "../html/page-layout.js";
import { htmlResponse, seeOther, textResponse } from "../http/responses.js";
import { matchRoute } from "../http/route.js";
import type { Route } from "../http/route.js";
import type { Inspector } from "../inspection/inspector.js";
import { eventStream } from "../live/event-stream.js";
import { LiveHub } from "../live/live-hub.js";
import { DashboardMetrics } from "../metrics/dashboard-metrics.js";
import { CsrfGuard } from "../security/csrf-guard.js";
import type { DashboardOptions } from "./dashboard-options.js";
import { normalizeBasePath } from "./normalize-base-path.js";
import { renderPage } from "./render-page.js";

/** The dashboard: a Web-standard request handler plus what a host needs to manage it. */
export interface Dashboard {
  /** Answer one request (pages, assets, actions, live events, metrics). */
  (request: Request): Promise<Response>;
  /** The normalized mount path (`""` at the root). */
  readonly basePath: string;
  /** Stop the shared poll and every live subscription. Open event streams end. The backend stays open. */
  close(): Promise<void>;
}

const MAX_FORM_BYTES = 64 * 1024;
/**
 * Where an action may send the user back to: a path below the base path, in plain URL characters.
 * No `//` or `/\` start and no whitespace (browsers drop tabs and newlines, so `/\t/evil.example`
 * would become `//evil.example`).
 */
const SAFE_BACK_PATH = /^\/(?![/\\])[A-Za-z0-9\-._~%!$&'()*+,;=:@/?]*$/;

/**
 * Create the dashboard: a `(request: Request) => Promise<Response>` handler that any server or
 * framework can call (see `toNodeListener` for `node:http`, Express, Fastify and Koa). It reads
 * through the inspection API, so only `@alsek/results` and a backend are loaded.
 */
export function createDashboard(options: DashboardOptions): Dashboard {
  const basePath = normalizeBasePath(options.basePath);
  const readOnly = options.readOnly === true;
  const pollInterval = options.pollInterval ?? 1_000;
  if (!(Number.isFinite(pollInterval) && pollInterval >= 50)) {
    throw new ValidationError(`Invalid pollInterval ${String(pollInterval)}: give at least 50 ms.`);
  }
  const inspector: Inspector = options.inspector ?? new QueueInspector(options.backend);
  const assets = new StaticAssets();
  const csrf = new CsrfGuard(options.csrfSecret, basePath);
  const hub = new LiveHub(options.backend, inspector, pollInterval);
  const metrics = new DashboardMetrics(inspector);
  const title = options.title ?? "Alsek";

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (basePath !== "" && url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) return textResponse("Not found.", 404);
    if (options.authorize !== undefined) {
      const verdict = await options.authorize(request);
      if (verdict instanceof Response) return verdict;
      if (verdict !== true) return textResponse("Forbidden: the dashboard's authorize hook refused this request.", 403);
    }
    const below = url.pathname.slice(basePath.length) || "/";
    if (below === "/" && url.pathname === basePath && basePath !== "") return seeOther(`${basePath}/${url.search}`);
    const route = matchRoute(request.method, below);
    if (route === null) {
      const known = matchRoute(request.method === "POST" ? "GET" : "POST", below) !== null;
      return known ? textResponse("Method not allowed.", 405) : textResponse("Not found.", 404);
    }
    if ("queue" in route) validateQueueName(route.queue);
    switch (route.kind) {
      case "asset": {
        const asset = assets.get(route.name);
        if (asset === undefined) return textResponse("Not found.", 404);
        return new Response(asset.body, {
          headers: { "content-type": asset.contentType, "cache-control": "public, max-age=31536000, immutable", "x-content-type-options": "nosniff" },
        });
      }
      case "metrics":
        return textResponse(await metrics.render(), 200, metrics.contentType);
      case "events":
        return events(request, url);
      case "message-action":
      case "dead-action":
      case "purge":
      case "queue-action":
        return act(request, route);
      default: {
        const { token, setCookie } = csrf.issue(request);
        const context: PageContext = { basePath, title, readOnly, csrfToken: token, assetVersion: assets.version };
        const page = await renderPage(options.backend, inspector, context, route, url);
        return htmlResponse(page.html, page.status, setCookie === null ? {} : { "set-cookie": setCookie });
      }
    }
  }

  function events(request: Request, url: URL): Response {
    const topic = url.searchParams.get("topic");
    const queue = url.searchParams.get("queue");
    const uuid = url.searchParams.get("uuid");
    if (topic === "counts") return eventStream(request, (listener) => hub.watchCounts(listener));
    if (topic === "message" && queue !== null && uuid !== null) {
      validateQueueName(queue);
      validateMessageUuid(uuid);
      return eventStream(request, (listener) => hub.watchMessage(queue, uuid, listener));
    }
    if (topic === "results" && queue !== null) {
      validateQueueName(queue);
      return eventStream(request, (listener) => hub.watchResults(queue, listener));
    }
    return textResponse("Unknown event topic: use topic=counts, topic=message&queue=…&uuid=… or topic=results&queue=….", 400);
  }

  async function act(request: Request, route: Extract<Route, { kind: "message-action" | "dead-action" | "purge" | "queue-action" }>): Promise<Response> {
    if (readOnly) return textResponse("Forbidden: this dashboard is read-only.", 403);
    if (Number(request.headers.get("content-length") ?? 0) > MAX_FORM_BYTES) return textResponse("Form too large.", 413);
    const form = new URLSearchParams(await request.text());
    if (!csrf.verify(request, form.get("_csrf"))) {
      return textResponse("Forbidden: missing or invalid CSRF token. Reload the page and try again.", 403);
    }
    try {
      const outcome = await runAction(inspector, route, form);
      const back = form.get("back");
      // Only paths inside the dashboard: never an open redirect.
      const target = back !== null && SAFE_BACK_PATH.test(back) ? back : outcome.fallback;
      const sep = target.includes("?") ? "&" : "?";
      return seeOther(`${basePath}${target}${sep}notice=${encodeURIComponent(outcome.notice)}`);
    } catch (error) {
      if (error instanceof UnknownActionError) return textResponse(error.message, 404);
      throw error;
    }
  }

  const dashboard = async (request: Request): Promise<Response> => {
    try {
      return await handle(request);
    } catch (error) {
      if (error instanceof ValidationError) return textResponse(`Bad request: ${error.message}`, 400);
      return textResponse(`The dashboard failed to answer: ${error instanceof Error ? error.message : String(error)}`, 500);
    }
  };
  return Object.assign(dashboard, { basePath, close: () => hub.close() });
}
