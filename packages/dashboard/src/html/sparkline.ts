import { html } from "./html.js";
import type { SafeHtml } from "./html.js";

/** One minute of throughput. */
export interface ThroughputPoint {
  minute: number;
  completed: number;
  failed: number;
}

const WIDTH = 120;
const HEIGHT = 24;

/** An inline SVG of completed (line) and failed (red line) per minute; no script, no external file. */
export function sparkline(points: readonly ThroughputPoint[]): SafeHtml {
  const total = points.reduce((sum, p) => sum + p.completed + p.failed, 0);
  const max = Math.max(1, ...points.map((p) => Math.max(p.completed, p.failed)));
  const step = points.length > 1 ? WIDTH / (points.length - 1) : WIDTH;
  const path = (pick: (p: ThroughputPoint) => number): string =>
    points.map((p, i) => `${(i * step).toFixed(1)},${(HEIGHT - 1 - (pick(p) / max) * (HEIGHT - 2)).toFixed(1)}`).join(" ");
  const label = `${points.reduce((s, p) => s + p.completed, 0)} completed, ${points.reduce((s, p) => s + p.failed, 0)} failed in the last ${points.length} min`;
  return html`<svg class="spark" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${label}"><title>${label}</title>${
    total === 0 || points.length < 2
      ? html`<line x1="0" y1="${HEIGHT - 1}" x2="${WIDTH}" y2="${HEIGHT - 1}" class="spark-idle"/>`
      : html`<polyline points="${path((p) => p.completed)}" class="spark-ok"/><polyline points="${path((p) => p.failed)}" class="spark-failed"/>`
  }</svg>`;
}
