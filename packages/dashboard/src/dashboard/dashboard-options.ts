import type { Backend } from "@alsek/core";
import type { Inspector } from "../inspection/inspector.js";

/**
 * Decides whether a request may see the dashboard. Return `true` to let it through, `false` for a
 * plain 403, or a `Response` of your own (a redirect to your login page, a 401 with
 * `WWW-Authenticate`, ...). Called for every request: pages, assets, actions, `/metrics` and each
 * live event stream when it opens.
 */
export type AuthorizeHook = (request: Request) => boolean | Response | Promise<boolean | Response>;

/** Options of {@link createDashboard}. */
export interface DashboardOptions {
  /** Where the queues live. The dashboard never closes it. */
  backend: Backend;
  /**
   * The path the dashboard is mounted under, such as `"/admin/queues"`: every link and form
   * carries it, and requests outside it get a 404.
   * @defaultValue `""` (the root)
   */
  basePath?: string;
  /**
   * Hide every action (redrive, delete, revoke, retry now, remove, purge) and refuse their POSTs
   * with 403.
   * @defaultValue `false`
   */
  readOnly?: boolean;
  /**
   * Access check run on every request; see {@link AuthorizeHook}.
   * @defaultValue none: every request is let through (put the dashboard behind your own auth)
   */
  authorize?: AuthorizeHook;
  /**
   * How often, in ms, the one shared poll of this dashboard re-reads queue counts while a live
   * page is open, and re-reads watched statuses when the backend has no cross-process pub/sub.
   * @defaultValue `2_000` (`1_000` for statuses without pub/sub)
   */
  pollInterval?: number;
  /**
   * Key of the CSRF tokens. Give the same secret to every instance behind one load balancer;
   * each instance otherwise makes its own, and forms rendered by one are refused by another.
   * @defaultValue a random key per dashboard
   */
  csrfSecret?: string;
  /**
   * The inspection API to read from.
   * @defaultValue `new QueueInspector(backend)`
   */
  inspector?: Inspector;
  /**
   * Shown in the page title and header.
   * @defaultValue `"Alsek"`
   */
  title?: string;
}
