/** Pretty JSON of any stored value for display (cycles and bigints cannot occur after decoding, but are tolerated). */
export function prettyJson(value: unknown): string {
  if (value === undefined) return "undefined";
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `${v.toString()}n` : v), 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** ISO time for an epoch ms value, or an em dash. */
export function formatTime(epochMs: number | null | undefined): string {
  if (epochMs === null || epochMs === undefined || !Number.isFinite(epochMs)) return "—";
  return new Date(epochMs).toISOString().replace("T", " ").replace("Z", " UTC");
}

/** A short human duration: `850 ms`, `12.3 s`, `4 min`, `2.5 h`, `3 d`. */
export function formatAge(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${Math.round(ms / 86_400_000)} d`;
}

/** A compact time for tables (`12-07 06:15:15`), with the full one to put in a `title`. */
export function formatShortTime(epochMs: number | null | undefined): { short: string; full: string } {
  const full = formatTime(epochMs);
  if (epochMs === null || epochMs === undefined || !Number.isFinite(epochMs)) return { short: full, full };
  return { short: new Date(epochMs).toISOString().slice(5, 19).replace("T", " "), full };
}
