import type { LiveEvent, LiveListener, StopWatching } from "./live-event.js";

/** A comment line every so often keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

/**
 * A `text/event-stream` response fed by `start`, which receives the listener to register and
 * returns how to stop. The watch ends when the client goes away (the body is cancelled) or the
 * request's signal aborts.
 */
export function eventStream(request: Request, start: (listener: LiveListener) => Promise<StopWatching> | StopWatching): Response {
  const encoder = new TextEncoder();
  let stop: StopWatching | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  let done = false;
  const finish = (): void => {
    if (done) return;
    done = true;
    if (heartbeat !== null) clearInterval(heartbeat);
    stop?.();
    stop = null;
  };
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string): void => {
        if (done) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          finish();
        }
      };
      const listener = (event: LiveEvent): void => send(`event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`);
      send("retry: 2000\n\n");
      heartbeat = setInterval(() => send(": keep-alive\n\n"), HEARTBEAT_MS);
      heartbeat.unref();
      request.signal.addEventListener("abort", finish, { once: true });
      try {
        const stopWatching = await start(listener);
        if (done) stopWatching();
        else stop = stopWatching;
        // From here on nothing published is missed: pages (and tests) may rely on it.
        send("event: ready\ndata: {}\n\n");
      } catch (error) {
        send(`event: failure\ndata: ${JSON.stringify(error instanceof Error ? error.message : String(error))}\n\n`);
        finish();
        controller.close();
      }
    },
    cancel() {
      finish();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
}
