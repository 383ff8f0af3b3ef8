import type { SafeHtml } from "../html/html.js";

/** Headers every page carries: no inline script, nothing from other origins, no framing. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "x-frame-options": "DENY",
};

/** An HTML page response. */
export function htmlResponse(page: SafeHtml, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(page.value, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", ...SECURITY_HEADERS, ...headers },
  });
}

/** A plain-text response (errors, metrics). */
export function textResponse(text: string, status: number, contentType = "text/plain; charset=utf-8"): Response {
  return new Response(text, { status, headers: { "content-type": contentType, "cache-control": "no-store", ...SECURITY_HEADERS } });
}

/** A 303 to `location` (after a POST, so a reload does not repeat the action). */
export function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { location, "cache-control": "no-store" } });
}
