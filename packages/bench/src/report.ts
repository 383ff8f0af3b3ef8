import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { MetricSpec, Side, Target } from "./scenario.js";
import { median, ratio } from "./stats.js";

/** Every repetition of one metric, both sides. */
export interface MetricResult {
  scenario: string;
  metric: MetricSpec;
  samples: Record<Side, number[]>;
  /** Errors of failed repetitions, if any (the run goes on without them). */
  errors: Record<Side, string[]>;
}

/** One row of the summary: medians, the Alsek ÷ BullMQ ratio and whether the target holds. */
export interface SummaryRow {
  scenario: string;
  key: string;
  label: string;
  unit: string;
  better: "higher" | "lower";
  alsek: number | null;
  bullmq: number | null;
  /** Alsek ÷ BullMQ of the medians. */
  ratio: number | null;
  target: Target | null;
  /** `null` without a target or without data. */
  met: boolean | null;
  samples: Record<Side, number[]>;
  errors: Record<Side, string[]>;
}

/** Where and how the numbers were taken. */
export interface RunInfo {
  date: string;
  mode: "full" | "quick";
  repeat: number;
  machine: { cpus: string; cores: number; memoryGiB: number; loadAverage: number[]; node: string; redis: string; bullmq: string };
  durationSeconds: number;
}

function medianOrNull(samples: readonly number[]): number | null {
  return samples.length === 0 ? null : median(samples);
}

function targetMet(target: Target | undefined, alsek: number | null, quotient: number | null): boolean | null {
  if (!target) return null;
  const value = target.on === "ratio" ? quotient : alsek;
  if (value === null) return null;
  return target.op === ">=" ? value >= target.value : value <= target.value;
}

/** Medians, ratios and target checks of every metric. */
export function summarize(results: readonly MetricResult[]): SummaryRow[] {
  return results.map(({ scenario, metric, samples, errors }) => {
    const alsek = medianOrNull(samples.alsek);
    const bullmq = medianOrNull(samples.bullmq);
    const quotient = ratio(alsek ?? undefined, bullmq ?? undefined);
    return {
      scenario,
      key: metric.key,
      label: metric.label,
      unit: metric.unit,
      better: metric.better,
      alsek,
      bullmq,
      ratio: quotient,
      target: metric.target ?? null,
      met: targetMet(metric.target, alsek, quotient),
      samples,
      errors,
    };
  });
}

function formatNumber(value: number | null): string {
  if (value === null) return "—";
  const magnitude = Math.abs(value);
  if (magnitude >= 1000) return Math.round(value).toLocaleString("en-US");
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function formatTarget(target: Target | null): string {
  if (!target) return "";
  const op = target.op === ">=" ? "≥" : "≤";
  return target.on === "ratio" ? `ratio ${op} ${target.value}` : `Alsek ${op} ${target.value}`;
}

function formatMet(met: boolean | null): string {
  if (met === null) return "";
  return met ? "yes" : "NO";
}

/** The summary as a Markdown table (what the README shows). */
export function renderTable(rows: readonly SummaryRow[]): string {
  const header = ["metric", "unit", "Alsek", "BullMQ", "Alsek ÷ BullMQ", "better", "target", "met"];
  const lines = rows.map((row) => [
    row.label,
    row.unit,
    formatNumber(row.alsek),
    formatNumber(row.bullmq),
    row.ratio === null ? "—" : `${row.ratio.toFixed(2)}×`,
    row.better,
    formatTarget(row.target),
    formatMet(row.met),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => (line[column] ?? "").length)));
  const render = (cells: readonly string[]): string =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(" | ")} |`;
  return [render(header), render(widths.map((width) => "-".repeat(width))), ...lines.map(render)].join("\n");
}

/** Write the full result (every sample, medians, ratios, run info) as JSON. */
export function writeJson(path: string, info: RunInfo, rows: readonly SummaryRow[]): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify({ ...info, results: rows }, null, 2)}\n`);
}
