// A tiny cookie-keeping client for driving a Web-standard handler in tests, as a browser would.
import type { Dashboard } from "../index.js";

export class DashboardClient {
  #cookies = new Map<string, string>();
  constructor(
    readonly handle: (request: Request) => Promise<Response>,
    readonly origin = "http://dash.test",
  ) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.#cookies.size > 0) headers.set("cookie", [...this.#cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await this.handle(new Request(`${this.origin}${path}`, { ...init, headers, redirect: "manual" }));
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const eq = (pair ?? "").indexOf("=");
      if (eq > 0) this.#cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    return response;
  }

  async page(path: string): Promise<string> {
    const response = await this.request(path);
    if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return response.text();
  }

  /** Submit the first form whose action ends with `actionSuffix` on the page at `path`. */
  async submitForm(path: string, actionSuffix: string, extra: Record<string, string> = {}): Promise<Response> {
    const page = await this.page(path);
    const forms = [...page.matchAll(/<form method="post" action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)];
    const form = forms.find((f) => (f[1] ?? "").endsWith(actionSuffix));
    if (form === undefined) throw new Error(`No form ending in ${actionSuffix} on ${path}`);
    const fields = new URLSearchParams();
    for (const input of (form[2] ?? "").matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
      fields.set(input[1] ?? "", unescape(input[2] ?? ""));
    }
    for (const [k, v] of Object.entries(extra)) fields.set(k, v);
    return this.request(unescapeHtml(form[1] ?? ""), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: fields.toString(),
    });
  }
}

function unescapeHtml(text: string): string {
  return text.replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#96;/g, "`");
}

/** Read server-sent events from a response until `until` returns true for one of them. */
export async function readEvents(
  response: Response,
  until: (event: { event: string; data: unknown }) => boolean,
): Promise<{ event: string; data: unknown }[]> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const seen: { event: string; data: unknown }[] = [];
  let buffer = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return seen;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (name === undefined || data === undefined) continue;
        const event = { event: name, data: JSON.parse(data) as unknown };
        seen.push(event);
        if (until(event)) return seen;
      }
    }
  } finally {
    await reader.cancel();
  }
}

export type { Dashboard };
