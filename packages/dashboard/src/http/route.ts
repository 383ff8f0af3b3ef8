/** A request matched to one of the dashboard's routes. */
export type Route =
  | { kind: "overview" }
  | { kind: "queue"; queue: string }
  | { kind: "dead"; queue: string }
  | { kind: "message"; queue: string; uuid: string }
  | { kind: "live" }
  | { kind: "events" }
  | { kind: "metrics" }
  | { kind: "asset"; name: string }
  | { kind: "message-action"; queue: string; uuid: string; action: string }
  | { kind: "dead-action"; queue: string; action: string }
  | { kind: "purge"; queue: string }
  | { kind: "queue-action"; queue: string; action: "pause" | "resume" };

function decode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** Match `path` (below the base path, starting with `/`) and the method; `null` when nothing does. */
export function matchRoute(method: string, path: string): Route | null {
  const raw = path.split("/").slice(1);
  if (raw.length > 1 && raw[raw.length - 1] === "") raw.pop();
  const parts = raw.map(decode);
  if (parts.some((p) => p === null)) return null;
  const p = parts as string[];
  const get = method === "GET" || method === "HEAD";
  if (get) {
    if (p.length === 1 && p[0] === "") return { kind: "overview" };
    if (p.length === 1 && p[0] === "live") return { kind: "live" };
    if (p.length === 1 && p[0] === "events") return { kind: "events" };
    if (p.length === 1 && p[0] === "metrics") return { kind: "metrics" };
    if (p.length === 2 && p[0] === "assets") return { kind: "asset", name: p[1] as string };
    if (p[0] === "queues" && p.length === 2) return { kind: "queue", queue: p[1] as string };
    if (p[0] === "queues" && p.length === 3 && p[2] === "dead") return { kind: "dead", queue: p[1] as string };
    if (p[0] === "queues" && p.length === 4 && p[2] === "messages") return { kind: "message", queue: p[1] as string, uuid: p[3] as string };
    return null;
  }
  if (method !== "POST" || p[0] !== "queues") return null;
  if (p.length === 5 && p[2] === "messages") return { kind: "message-action", queue: p[1] as string, uuid: p[3] as string, action: p[4] as string };
  if (p.length === 4 && p[2] === "dead") return { kind: "dead-action", queue: p[1] as string, action: p[3] as string };
  if (p.length === 3 && p[2] === "purge") return { kind: "purge", queue: p[1] as string };
  if (p.length === 3 && (p[2] === "pause" || p[2] === "resume")) return { kind: "queue-action", queue: p[1] as string, action: p[2] };
  return null;
}
