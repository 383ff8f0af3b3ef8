import { ValidationError } from "@alsek/core";

/** `"/admin/queues/"` → `"/admin/queues"`, `"/"` or `""` → `""`. */
export function normalizeBasePath(basePath: string | undefined): string {
  const path = basePath ?? "";
  if (path === "" || path === "/") return "";
  if (!path.startsWith("/") || /[?#\s"'<>\\]/.test(path)) {
    throw new ValidationError(`Invalid basePath ${JSON.stringify(path)}: give a path such as "/admin/queues" (leading slash, no query).`);
  }
  return path.replace(/\/+$/, "");
}
