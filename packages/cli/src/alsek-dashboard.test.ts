// `alsek dashboard` and `alsek info` with a backend named on the command line (no task module),
// run as the real binary against SQLite and a real Redis.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Broker, Message, task } from "@alsek/core";
import { RedisBackend } from "@alsek/redis";
import { SqliteBackend } from "@alsek/sqlite";
import { startRedisServer, type RedisServer } from "@alsek/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireBuiltBinary, runAlsek, startAlsek, until, type AlsekProcess } from "./__fixtures__/spawn-alsek.js";

const PASSWORD = "dash-pw-5e1c";
let redis: RedisServer;
let dir: string;

beforeAll(async () => {
  requireBuiltBinary();
  redis = await startRedisServer({ aclUser: { name: "alsek", password: PASSWORD } });
  dir = mkdtempSync(join(tmpdir(), "alsek-cli-dashboard-"));
});

afterAll(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function seed(backend: SqliteBackend | RedisBackend): Promise<void> {
  const broker = new Broker(backend);
  const send = task(broker, { name: "send", queue: "mail" }, () => 1);
  await send.generate();
  await send.generate({ delay: 3_600_000 });
  await backend.close();
}

/** Start `alsek dashboard …` and return its URL once it listens. */
async function serve(args: string[]): Promise<{ proc: AlsekProcess; url: string }> {
  const proc = startAlsek(["dashboard", ...args, "--port", "0"]);
  await until("the dashboard listens", () => /http:\/\/\S+\//.test(proc.stdout()) || proc.child.exitCode !== null);
  const url = /(http:\/\/\S+\/)/.exec(proc.stdout())?.[1];
  if (url === undefined) throw new Error(`alsek dashboard did not start: ${proc.stderr()}`);
  return { proc, url };
}

describe("alsek dashboard", () => {
  it("serves the queues of an SQLite file, read-only, and stops on SIGTERM", async () => {
    const file = join(dir, "dash.db");
    await seed(new SqliteBackend(file));
    const { proc, url } = await serve(["--sqlite", file, "--read-only"]);
    try {
      const page = await (await fetch(url)).text();
      expect(page).toContain('data-queue="mail"');
      expect(page).toMatch(/data-count="ready">1</);
      const action = await fetch(`${url}queues/mail/purge`, { method: "POST", body: "confirm=mail" });
      expect(action.status).toBe(403);
      proc.child.kill("SIGTERM");
      expect((await proc.exited).code).toBe(0);
    } finally {
      proc.child.kill("SIGKILL");
    }
  });

  it("serves a Redis namespace and never prints the password", async () => {
    await seed(new RedisBackend(redis.url, { namespace: "dash-cli" }));
    const { proc, url } = await serve(["--redis-url", redis.url, "--namespace", "dash-cli", "--base-path", "/ops"]);
    try {
      expect(url).toMatch(/\/ops\/$/);
      expect(await (await fetch(url)).text()).toContain('href="/ops/queues/mail"');
      const metrics = await (await fetch(`${url}metrics`)).text();
      expect(metrics).toContain('alsek_queue_messages{queue="mail",state="delayed"} 1');
      proc.child.kill("SIGINT");
      expect((await proc.exited).code).toBe(0);
    } finally {
      proc.child.kill("SIGKILL");
    }
    expect(proc.stdout() + proc.stderr()).not.toContain(PASSWORD);
  });

  it("asks for a backend when none is named", async () => {
    const run = await runAlsek(["dashboard"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Name one backend: --redis-url");
  });
});

describe("alsek info with a backend instead of a task module", () => {
  it("reads an SQLite file", async () => {
    const file = join(dir, "info.db");
    await seed(new SqliteBackend(file, { namespace: "info" }));
    const run = await runAlsek(["info", "--sqlite", file, "--namespace", "info", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([{ namespace: "info", queue: "mail", ready: 1, delayed: 1, running: 0, dead: 0, paused: false, rateLimit: null, taskRateLimits: {}, schedules: [] }]);
  });

  it("reads a Redis URL", async () => {
    await seed(new RedisBackend(redis.url, { namespace: "info-redis" }));
    const run = await runAlsek(["info", "--redis-url", redis.url, "--namespace", "info-redis"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split("\n")).toEqual(["queue  ready  delayed  running  dead", "mail       1        1        0     0", ""]);
  });

  it("shows which queues are paused or rate-limited", async () => {
    const backend = new RedisBackend(redis.url, { namespace: "info-flow" });
    await seed(backend);
    const reopened = new RedisBackend(redis.url, { namespace: "info-flow" });
    await reopened.setQueuePaused("mail", true);
    await reopened.setRateLimit("mail", { max: 100, durationMs: 1_000 });
    await reopened.setRateLimit("mail", { max: 5, durationMs: 60_000 }, "sendMail");
    await reopened.close();
    const table = await runAlsek(["info", "--redis-url", redis.url, "--namespace", "info-flow"]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout.split("\n")).toEqual([
      "queue  ready  delayed  running  dead                            flow control",
      "mail       1        1        0     0  paused, 100/1000ms, sendMail 5/60000ms",
      "",
    ]);
    const json = await runAlsek(["info", "--redis-url", redis.url, "--namespace", "info-flow", "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject([
      { queue: "mail", paused: true, rateLimit: { max: 100, durationMs: 1_000 }, taskRateLimits: { sendMail: { max: 5, durationMs: 60_000 } } },
    ]);
  });

  it("shows the trigger schedules stored for each queue", async () => {
    await seed(new RedisBackend(redis.url, { namespace: "info-schedules" }));
    const backend = new RedisBackend(redis.url, { namespace: "info-schedules" });
    const nextAt = Date.UTC(2030, 0, 1, 12, 0, 0);
    const definition = (name: string, trigger: string, paused: boolean) => ({
      queue: "mail",
      name,
      trigger,
      definition: `${name}-definition`,
      revision: `${name}-revision`,
      message: new Message({ taskName: name, queue: "mail" }).toQueued(),
      nextAt,
      paused,
    });
    await backend.defineSchedule(definition("digest", JSON.stringify({ kind: "interval", intervalMs: 60_000 }), false));
    await backend.defineSchedule(
      definition("report", JSON.stringify({ kind: "cron", pattern: "0 9 * * 1", timezone: "UTC", startAt: null, stopAt: null, maxRuns: null }), true),
    );
    await backend.close();
    const table = await runAlsek(["info", "--redis-url", redis.url, "--namespace", "info-schedules"]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout.split("\n")[1]).toContain(
      "digest every 60000ms next 2030-01-01T12:00:00.000Z, report cron 0 9 * * 1 (UTC) (paused)",
    );
    expect(table.stdout.split("\n")[0]).toMatch(/schedules$/);
    const json = await runAlsek(["info", "--redis-url", redis.url, "--namespace", "info-schedules", "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject([
      {
        queue: "mail",
        schedules: [
          { task: "digest", trigger: "every 60000ms", next: "2030-01-01T12:00:00.000Z", paused: false, fires: 0 },
          { task: "report", trigger: "cron 0 9 * * 1 (UTC)", next: "2030-01-01T12:00:00.000Z", paused: true, fires: 0 },
        ],
      },
    ]);
  });

  it("needs a target or a backend, not both", async () => {
    const none = await runAlsek(["info"]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("alsek info needs a TARGET");
    const both = await runAlsek(["info", "project", "--sqlite", join(dir, "x.db")]);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain("not both");
  });
});
