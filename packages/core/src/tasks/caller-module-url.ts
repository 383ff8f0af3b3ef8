import { pathToFileURL } from "node:url";

function toModuleUrl(file: string): string | null {
  let url: URL;
  try {
    url = file.startsWith("file:") ? new URL(file) : file.startsWith("/") || /^[A-Za-z]:[\\/]/.test(file)
      ? pathToFileURL(file.replace(/[?#].*$/, ""))
      : new URL(file);
  } catch {
    return null;
  }
  if (url.protocol !== "file:") return null;
  // Loaders (tsx, vite) add queries; workers must import the plain file.
  url.search = "";
  url.hash = "";
  return url.href;
}

/**
 * The `file://` URL of the module that called `below` (the topmost call of it on the stack), read
 * from the V8 call stack. `null` when no frame has a file.
 */
// biome-ignore lint/complexity/noBannedTypes: V8 accepts any function as the frame to start below.
export function callerModuleUrl(below: Function): string | null {
  const originalPrepare = Error.prepareStackTrace;
  const originalLimit = Error.stackTraceLimit;
  let sites: NodeJS.CallSite[] = [];
  try {
    Error.prepareStackTrace = (_error, callSites) => callSites;
    Error.stackTraceLimit = 50;
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder, below);
    sites = Array.isArray(holder.stack) ? (holder.stack as NodeJS.CallSite[]) : [];
  } finally {
    Error.prepareStackTrace = originalPrepare;
    Error.stackTraceLimit = originalLimit;
  }
  for (const site of sites) {
    const file = site.getFileName() ?? site.getScriptNameOrSourceURL();
    if (!file || file.startsWith("node:")) continue;
    const url = toModuleUrl(file);
    if (url) return url;
  }
  return null;
}
