import type { Backend, QueueControl, RateLimit, StoredSchedule, TriggerSpec } from "@alsek/core";
import { parseQueues } from "../options/parse-queues.js";
import { readFlag, readString, type ParsedArgs } from "../options/read-option.js";
import { formatTable } from "../output/format-table.js";
import { UsageError } from "../errors/index.js";
import { loadTarget } from "./load-target.js";
import { namesBackend, openBackend } from "./open-backend.js";

/** Counts of one queue as `alsek info` reports them. */
export interface QueueInfo {
  /** Namespace of the backend holding the queue. */
  namespace: string;
  queue: string;
  ready: number;
  delayed: number;
  running: number;
  dead: number;
  /** Whether claims skip the queue (`broker.pauseQueue`). */
  paused: boolean;
  /** The queue's rate limit, or `null`. */
  rateLimit: RateLimit | null;
  /** Rate limits of single tasks in the queue, by task name. */
  taskRateLimits: Record<string, RateLimit>;
  /** The trigger schedules stored for the queue (shared by every process that defines them). */
  schedules: ScheduleInfo[];
}

/** One stored trigger schedule as `alsek info` reports it. */
export interface ScheduleInfo {
  /** The trigger task's name. */
  task: string;
  /** `every 1000ms`, `cron 0 * * * * (UTC)` or `once`. */
  trigger: string;
  /** The next slot (ISO 8601, UTC), or `null` when the schedule has ended. */
  next: string | null;
  paused: boolean;
  /** Slots fired so far (since the schedule was last defined). */
  fires: number;
}

/** `every 1000ms`, `cron 0 * * * * (Europe/Paris)`, `once`; the stored text if it is not a known trigger. */
function describeTrigger(stored: string): string {
  let spec: TriggerSpec;
  try {
    spec = JSON.parse(stored) as TriggerSpec;
  } catch {
    return stored;
  }
  if (spec.kind === "interval") return `every ${spec.intervalMs}ms`;
  if (spec.kind === "cron") return `cron ${spec.pattern} (${spec.timezone})`;
  if (spec.kind === "date") return "once";
  return stored;
}

function scheduleInfo(schedule: StoredSchedule): ScheduleInfo {
  return {
    task: schedule.name,
    trigger: describeTrigger(schedule.trigger),
    next: schedule.nextAt === null ? null : new Date(schedule.nextAt).toISOString(),
    paused: schedule.paused,
    fires: schedule.fires,
  };
}

/** The "schedules" cell: `harvest every 1000ms next 2026-12-07T12:00:01.000Z`, `(paused)` or `(ended)`. */
function formatSchedules(schedules: readonly ScheduleInfo[]): string {
  return schedules
    .map((one) => `${one.task} ${one.trigger} ${one.paused ? "(paused)" : one.next === null ? "(ended)" : `next ${one.next}`}`)
    .join(", ");
}

/** `"100/1000ms"`. */
function formatLimit(limit: RateLimit): string {
  return `${limit.max}/${limit.durationMs}ms`;
}

/** The "flow control" cell: `paused`, the queue's limit, then each task's (`name 5/1000ms`). */
function formatControl(control: QueueControl): string {
  const parts = control.paused ? ["paused"] : [];
  if (control.rateLimit !== null) parts.push(formatLimit(control.rateLimit));
  for (const [task, limit] of Object.entries(control.taskRateLimits)) parts.push(`${task} ${formatLimit(limit)}`);
  return parts.join(", ");
}

async function describeBackend(backend: Backend, taskQueues: readonly string[], only: readonly string[] | undefined): Promise<QueueInfo[]> {
  const queues = only ?? [...new Set([...(await backend.listQueues()), ...taskQueues])].sort();
  const rows: QueueInfo[] = [];
  for (const queue of queues) {
    const [counts, control, schedules] = await Promise.all([
      backend.countQueue(queue),
      backend.getQueueControl(queue),
      backend.listSchedules(queue),
    ]);
    rows.push({
      namespace: backend.namespace,
      queue,
      ready: counts.ready,
      delayed: counts.delayed,
      running: counts.active,
      dead: counts.dead,
      paused: control.paused,
      rateLimit: control.rateLimit,
      taskRateLimits: control.taskRateLimits,
      schedules: schedules.map(scheduleInfo),
    });
  }
  return rows;
}

/** The backends to describe: the one named by `--redis-url`/`--sqlite`, or those of TARGET's tasks. */
async function findBackends(target: string | undefined, args: ParsedArgs, cwd: string): Promise<Map<Backend, string[]>> {
  const backends = new Map<Backend, string[]>();
  if (namesBackend(args)) {
    if (target !== undefined) throw new UsageError("Give either a TARGET or --redis-url/--sqlite to alsek info, not both.");
    backends.set((await openBackend(args)).backend, []);
    return backends;
  }
  if (target === undefined) throw new UsageError("alsek info needs a TARGET (a task module) or a backend: --redis-url redis://… or --sqlite file.db.");
  for (const { task } of await loadTarget(target, cwd)) {
    const queues = backends.get(task.broker.backend) ?? [];
    queues.push(task.queue);
    backends.set(task.broker.backend, queues);
  }
  return backends;
}

/**
 * `alsek info TARGET` or `alsek info --redis-url …|--sqlite …`: for each backend (those the
 * target's tasks use, or the one named), its queues with the number of ready, delayed, running
 * and dead-lettered messages, whether each is paused or rate-limited (a "flow control" column,
 * shown when some queue is) and its stored trigger schedules (a "schedules" column, shown when some
 * queue has one). Prints a table, or JSON with `--json`.
 */
export async function infoCommand(target: string | undefined, args: ParsedArgs, cwd: string): Promise<void> {
  const only = parseQueues(readString(args, "queues"));
  const backends = await findBackends(target, args, cwd);
  const rows: QueueInfo[] = [];
  try {
    for (const [backend, taskQueues] of backends) rows.push(...(await describeBackend(backend, taskQueues, only)));
  } finally {
    await Promise.allSettled([...backends.keys()].map((backend) => backend.close()));
  }
  if (readFlag(args, "json")) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const showNamespace = new Set(rows.map((row) => row.namespace)).size > 1 || backends.size > 1;
  const controls = rows.map((row) => formatControl(row));
  const showControl = controls.some((cell) => cell !== "");
  const schedules = rows.map((row) => formatSchedules(row.schedules));
  const showSchedules = schedules.some((cell) => cell !== "");
  const header = [...(showNamespace ? ["namespace"] : []), "queue", "ready", "delayed", "running", "dead", ...(showControl ? ["flow control"] : []), ...(showSchedules ? ["schedules"] : [])];
  const body = rows.map((row, i) => [
    ...(showNamespace ? [row.namespace] : []),
    row.queue,
    String(row.ready),
    String(row.delayed),
    String(row.running),
    String(row.dead),
    ...(showControl ? [controls[i]!] : []),
    ...(showSchedules ? [schedules[i]!] : []),
  ]);
  process.stdout.write(rows.length === 0 ? "No queues.\n" : formatTable(header, body));
}
