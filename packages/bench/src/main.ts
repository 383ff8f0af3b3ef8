// Entry of `pnpm bench` (compiled to dist/main.js): Alsek vs BullMQ on one throwaway redis-server.
import { createRequire } from "node:module";
import { cpus, loadavg, totalmem } from "node:os";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { benchArguments } from "./command-line.js";
import { Redis } from "ioredis";
import { startRedisServer } from "@alsek/test-support";
import { REDIS_URL_ENV } from "./queue-names.js";
import { renderTable, summarize, writeJson, type MetricResult } from "./report.js";
import { SIDES, type RunContext, type Side } from "./scenario.js";
import { SCENARIOS } from "./scenarios/index.js";
import { closeSharedConnections } from "./sides/open-driver.js";
import { FULL_SIZES, QUICK_SIZES } from "./sizes.js";

const USAGE = `Usage: pnpm bench [-- options]   (or: node packages/bench/dist/main.js [options])

  --quick          small counts: a smoke run of every scenario in under a minute
  --only <names>   comma-separated scenario names (repeatable)
  --repeat <n>     repetitions per side; the median is reported (default 3, --quick 1)
  --out <file>     JSON output (default packages/bench/bench-results/latest.json)
  --help

Scenarios:
${SCENARIOS.map((scenario) => `  ${scenario.name.padEnd(20)} ${scenario.description}`).join("\n")}
`;

const { values } = parseArgs({
  args: benchArguments(process.argv.slice(2)),
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string", multiple: true },
    repeat: { type: "string" },
    out: { type: "string" },
    help: { type: "boolean", default: false },
  },
  allowPositionals: false,
});

if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const quick = values.quick ?? false;
const repeat = values.repeat === undefined ? (quick ? 1 : 3) : Number(values.repeat);
if (!Number.isInteger(repeat) || repeat < 1) {
  throw new RangeError(`--repeat must be a positive integer, got '${values.repeat}'.`);
}
const wanted = (values.only ?? []).flatMap((list) => list.split(",")).map((name) => name.trim()).filter(Boolean);
const unknown = wanted.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name));
if (unknown.length > 0) {
  throw new RangeError(`Unknown scenario(s) ${unknown.join(", ")}: choose from ${SCENARIOS.map((s) => s.name).join(", ")}.`);
}
const scenarios = wanted.length === 0 ? SCENARIOS : SCENARIOS.filter((scenario) => wanted.includes(scenario.name));
const out = resolve(values.out ?? fileURLToPath(new URL("../bench-results/latest.json", import.meta.url)));

const log = (message: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

const began = performance.now();
const redis = await startRedisServer();
// Read by the Alsek task module when the Alsek side is first loaded, and inherited by workers.
process.env[REDIS_URL_ENV] = redis.url;
const admin = new Redis(redis.url);
const results: MetricResult[] = [];
let redisVersion = "unknown";
try {
  redisVersion = /^redis_version:(.+?)\r?$/m.exec(await admin.info("server"))?.[1] ?? "unknown";
  const context: RunContext = { redisUrl: redis.url, sizes: quick ? QUICK_SIZES : FULL_SIZES, log };
  log(`redis-server ${redisVersion} on ${redis.url}; ${quick ? "quick" : "full"} run, ${repeat} repetition(s) per side`);

  for (const scenario of scenarios) {
    const samples = Object.fromEntries(scenario.metrics.map((metric) => [metric.key, { alsek: [], bullmq: [] }])) as Record<
      string,
      Record<Side, number[]>
    >;
    const errors: Record<Side, string[]> = { alsek: [], bullmq: [] };
    const flushEach = scenario.flushBetweenRuns ?? true;
    const failed = new Set<Side>();
    const attempt = async (side: Side, what: string, step: () => Promise<void>): Promise<void> => {
      try {
        await step();
      } catch (error) {
        const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
        errors[side].push(`${what}: ${text}`);
        log(`${scenario.name} ${side} ${what} FAILED: ${text}`);
        if (what === "prepare") failed.add(side);
      }
    };

    await admin.flushall();
    if (!flushEach && scenario.prepare) {
      for (const side of SIDES) await attempt(side, "prepare", () => scenario.prepare?.(side, context) ?? Promise.resolve());
    }
    for (let round = 1; round <= repeat; round += 1) {
      for (const side of SIDES) {
        if (failed.has(side)) continue;
        if (flushEach) await admin.flushall();
        await attempt(side, `run ${round}`, async () => {
          if (flushEach && scenario.prepare) await scenario.prepare(side, context);
          const measured = await scenario.run(side, context);
          for (const metric of scenario.metrics) {
            const value = measured[metric.key];
            if (value === undefined || !Number.isFinite(value)) {
              throw new Error(`scenario ${scenario.name} returned no finite value for '${metric.key}'`);
            }
            samples[metric.key]?.[side].push(value);
          }
          log(
            `${scenario.name} ${side} run ${round}: ` +
              scenario.metrics.map((metric) => `${metric.key}=${(measured[metric.key] ?? Number.NaN).toFixed(2)}`).join(" "),
          );
        });
      }
    }
    await admin.flushall();
    await scenario.teardown?.().catch((error: unknown) => log(`${scenario.name} teardown failed: ${String(error)}`));
    for (const metric of scenario.metrics) {
      results.push({ scenario: scenario.name, metric, samples: samples[metric.key] ?? { alsek: [], bullmq: [] }, errors });
    }
  }
} finally {
  admin.disconnect();
  await closeSharedConnections().catch((error: unknown) => log(`closing the Alsek backend failed: ${String(error)}`));
  await redis.stop();
}

const rows = summarize(results);
const bullmqVersion = (createRequire(import.meta.url)("bullmq/package.json") as { version: string }).version;
const info = {
  date: new Date().toISOString(),
  mode: quick ? ("quick" as const) : ("full" as const),
  repeat,
  machine: {
    cpus: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
    node: process.version,
    redis: redisVersion,
    bullmq: bullmqVersion,
  },
  durationSeconds: Math.round((performance.now() - began) / 1000),
};
writeJson(out, info, rows);
process.stdout.write(
  `\nAlsek vs BullMQ ${info.machine.bullmq} — ${info.date} — ${info.mode} run, median of ${repeat} — ` +
    `${info.machine.cores}× ${info.machine.cpus}, Node ${info.machine.node}, Redis ${info.machine.redis}\n\n` +
    `${renderTable(rows)}\n\nJSON: ${out}\n`,
);
