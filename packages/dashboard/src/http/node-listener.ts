import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";

/** A Web-standard handler, such as the one `createDashboard` returns. */
export type WebHandler = (request: Request) => Promise<Response>;

/**
 * Adapt a Web-standard handler to `node:http` (and to anything that hands out Node's `req`/`res`:
 * Express, Fastify's `request.raw`/`reply.raw`, Koa's `ctx.req`/`ctx.res`). The full original URL
 * is used (Express's `originalUrl` when mounted with `app.use(path, …)`), so give the dashboard
 * the same `basePath` as the mount path. Responses are streamed (live events included) and the
 * request's signal aborts when the client goes away. The returned promise settles once the
 * response is finished.
 */
export function toNodeListener(handler: WebHandler): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const abort = new AbortController();
    res.once("close", () => abort.abort());
    try {
      const response = await handler(toRequest(req, abort.signal));
      await writeResponse(response, res, abort.signal);
    } catch (error) {
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
        res.end(`The dashboard failed to answer: ${error instanceof Error ? error.message : String(error)}`);
      } else {
        res.destroy();
      }
    }
  };
}

function toRequest(req: IncomingMessage, signal: AbortSignal): Request {
  const originalUrl = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? "/";
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  const host = req.headers.host ?? "localhost";
  const url = new URL(originalUrl, `${encrypted ? "https" : "http"}://${host}`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(url, {
    method,
    headers,
    signal,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" } : {}),
  } as RequestInit);
}

async function writeResponse(response: Response, res: ServerResponse, signal: AbortSignal): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  res.writeHead(response.status, headers);
  if (response.body === null) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  const cancel = (): void => void reader.cancel().catch(() => undefined);
  signal.addEventListener("abort", cancel, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      // Flush each chunk at once: live events must not wait in a buffer.
      if (!res.write(value)) await new Promise<void>((resolve) => res.once("drain", resolve).once("close", resolve));
      if (signal.aborted) break;
    }
  } finally {
    signal.removeEventListener("abort", cancel);
    if (!res.writableEnded) res.end();
  }
}
