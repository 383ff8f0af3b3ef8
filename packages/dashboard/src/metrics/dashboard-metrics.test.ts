import { Broker, MemoryBackend, task } from "@alsek/core";
import type { Backend } from "@alsek/core";
import { QueueInspector } from "@alsek/results";
import { afterEach, expect, it } from "vitest";
import { DashboardMetrics } from "./dashboard-metrics.js";

let backend: Backend;
afterEach(async () => backend.close());

async function settleOne(ok: boolean): Promise<void> {
  const claim = await backend.claim({ queues: ["jobs"], limit: 1, leaseMs: 30_000 });
  const claimed = claim.messages[0]!;
  if (ok) await backend.ack(claimed.lease);
  else await backend.fail(claimed.lease, claimed.data, 60_000);
}

function value(text: string, name: string): number {
  return Number(new RegExp(`^${name}\\{queue="jobs"\\} (\\S+)$`, "m").exec(text)?.[1]);
}

it("counts completions and failures from the backend's throughput, only ever upwards", async () => {
  backend = new MemoryBackend();
  const job = task(new Broker(backend), { name: "job", queue: "jobs" }, () => 1);
  for (let i = 0; i < 5; i++) await job.generate();
  const metrics = new DashboardMetrics(new QueueInspector(backend));
  await settleOne(true);
  await settleOne(true);
  await settleOne(false);
  const first = await metrics.render();
  expect(value(first, "alsek_messages_completed_total")).toBe(2);
  expect(value(first, "alsek_messages_failed_total")).toBe(1);
  // A second scrape without new work adds nothing; new work in the same minute adds only itself.
  expect(value(await metrics.render(), "alsek_messages_completed_total")).toBe(2);
  await settleOne(true);
  const third = await metrics.render();
  expect(value(third, "alsek_messages_completed_total")).toBe(3);
  expect(third).toContain('alsek_queue_messages{queue="jobs",state="ready"} 1');
  expect(third).toContain('alsek_queue_messages{queue="jobs",state="dead"} 1');
  expect(third).toContain("# TYPE alsek_messages_completed_total counter");
});
