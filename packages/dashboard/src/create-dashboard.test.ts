import { Broker, MemoryBackend, progressWrite, task } from "@alsek/core";
import type { Backend, Subscription } from "@alsek/core";
import { StatusTracker, TaskStatus } from "@alsek/results";
import { afterEach, describe, expect, it } from "vitest";
import { DashboardClient, readEvents } from "./__tests__/dashboard-client.js";
import { createDashboard } from "./index.js";
import type { Dashboard } from "./index.js";

const XSS = `<script>alert("pwned")</script>`;
const open: { backend: Backend; dashboard: Dashboard }[] = [];

async function setup(options: Partial<Parameters<typeof createDashboard>[0]> = {}) {
  const backend = new MemoryBackend();
  const broker = new Broker(backend);
  const statusTracker = new StatusTracker(backend);
  const echo = task(broker, { name: "echo", queue: "emails", statusTracker }, (value: string) => value);
  const dashboard = createDashboard({ backend, ...options });
  open.push({ backend, dashboard });
  return { backend, broker, echo, statusTracker, dashboard, client: new DashboardClient(dashboard) };
}

/** Dead-letter one message of `queue` with an error whose text is `text`. */
async function deadLetter(backend: Backend, queue: string, text: string): Promise<string> {
  const claim = await backend.claim({ queues: [queue], limit: 1, leaseMs: 30_000 });
  const claimed = claim.messages[0]!;
  await backend.fail(claimed.lease, { ...claimed.data, exceptionDetails: { name: "Error", text, traceback: `Error: ${text}\n    at ${XSS}` } }, 60_000);
  return claimed.data.uuid;
}

afterEach(async () => {
  for (const { backend, dashboard } of open.splice(0)) {
    await dashboard.close();
    await backend.close();
  }
});

describe("createDashboard", () => {
  it("shows queues with counts per state on the overview", async () => {
    const { echo, client } = await setup();
    await echo.generate({ args: ["a"] });
    await echo.generate({ args: ["b"], delay: 60_000 });
    const page = await client.page("/");
    expect(page).toContain('data-queue="emails"');
    expect(page).toMatch(/data-count="ready">1</);
    expect(page).toMatch(/data-count="delayed">1</);
  });

  it("escapes <script> in arguments and in error messages and stacks", async () => {
    const { backend, echo, client } = await setup();
    const live = await echo.generate({ args: [XSS] });
    await echo.generate({ args: [XSS] });
    const dead = await deadLetter(backend, "emails", XSS);
    for (const path of ["/queues/emails", "/queues/emails/dead", `/queues/emails/messages/${live.uuid}`, `/queues/emails/messages/${dead}`]) {
      const page = await client.page(path);
      expect(page, path).not.toContain("<script>alert");
    }
    const deadPage = await client.page(`/queues/emails/messages/${dead}`);
    expect(deadPage).toContain("&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;");
    const livePage = await client.page(`/queues/emails/messages/${live.uuid}`);
    expect(livePage).toContain("&lt;script&gt;alert(\\&quot;pwned\\&quot;)&lt;/script&gt;");
  });

  it("shows a running message's progress on its page, escaped", async () => {
    const { backend, echo, client } = await setup();
    const message = await echo.generate({ args: ["x"] });
    const path = `/queues/emails/messages/${message.uuid}`;
    expect(await client.page(path)).toContain('<pre id="progress" data-present="false" class="empty">No progress reported.</pre>');
    const { messages } = await backend.claim({ queues: ["emails"], limit: 1, leaseMs: 30_000 });
    await backend.setProgress(messages[0]!.lease, progressWrite(message, { stage: XSS }, 0));
    const page = await client.page(path);
    expect(page).not.toContain("<script>alert");
    expect(page).toContain('<pre id="progress" data-present="true">{');
    expect(page).toContain("&quot;stage&quot;: &quot;&lt;script&gt;");
    await backend.setProgress(messages[0]!.lease, progressWrite(message, 40, 0));
    expect(await client.page(path)).toContain('<pre id="progress" data-present="true">40 %</pre>');
  });

  it("refuses a POST action without a valid CSRF token, and runs it with one", async () => {
    const { backend, echo, client } = await setup();
    await echo.generate({ args: ["x"] });
    const uuid = await deadLetter(backend, "emails", "boom");
    const forged = await client.request(`/queues/emails/messages/${uuid}/redrive`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "_csrf=forged",
    });
    expect(forged.status).toBe(403);
    expect(await backend.getDeadLetter({ queue: "emails", uuid })).not.toBeNull();
    const redriven = await client.submitForm("/queues/emails/dead", `/messages/${uuid}/redrive`);
    expect(redriven.status).toBe(303);
    expect(redriven.headers.get("location")).toContain("notice=");
    expect(await backend.getDeadLetter({ queue: "emails", uuid })).toBeNull();
    expect(await backend.getMessage({ queue: "emails", uuid })).not.toBeNull();
  });

  it("sends the user back only to a path inside the dashboard", async () => {
    const { backend, echo, client } = await setup();
    for (const back of ["//evil.example/x", "/\t/evil.example", "/\\evil.example", "https://evil.example/"]) {
      await echo.generate({ args: ["x"] });
      const uuid = await deadLetter(backend, "emails", "boom");
      const response = await client.submitForm("/queues/emails/dead", `/messages/${uuid}/redrive`, { back });
      expect(response.status).toBe(303);
      expect(response.headers.get("location"), back).toMatch(/^\/queues\/emails\/messages\//);
    }
    await echo.generate({ args: ["y"] });
    const uuid = await deadLetter(backend, "emails", "boom");
    const ok = await client.submitForm("/queues/emails/dead", `/messages/${uuid}/redrive`, { back: "/queues/emails?state=ready" });
    expect(ok.headers.get("location")).toMatch(/^\/queues\/emails\?state=ready&notice=/);
  });

  it("actions are POST only", async () => {
    const { client } = await setup();
    const response = await client.request("/queues/emails/messages/abc/remove");
    expect(response.status).toBe(405);
  });

  it("bulk-redrives and deletes the dead letters that match a task filter", async () => {
    const { backend, echo, broker, client } = await setup();
    const other = task(broker, { name: "other", queue: "emails" }, () => 1);
    await echo.generate({ args: ["1"] });
    await echo.generate({ args: ["2"] });
    await other.generate();
    await deadLetter(backend, "emails", "e1");
    await deadLetter(backend, "emails", "e2");
    await deadLetter(backend, "emails", "e3");
    const redrive = await client.submitForm("/queues/emails/dead?task=echo", "/dead/redrive-all");
    expect(decodeURIComponent(redrive.headers.get("location") ?? "")).toContain("Redrove 2 dead letter(s)");
    expect((await backend.countQueue("emails")).dead).toBe(1);
    const deleted = await client.submitForm("/queues/emails/dead", "/dead/delete-all");
    expect(decodeURIComponent(deleted.headers.get("location") ?? "")).toContain("Deleted 1 dead letter(s)");
  });

  it("purges only when the queue name is typed again", async () => {
    const { backend, echo, client } = await setup();
    await echo.generate({ args: ["1"] });
    const wrong = await client.submitForm("/queues/emails", "/purge", { confirm: "email" });
    expect(decodeURIComponent(wrong.headers.get("location") ?? "")).toContain("Not purged");
    expect((await backend.countQueue("emails")).ready).toBe(1);
    await client.submitForm("/queues/emails", "/purge", { confirm: "emails" });
    expect((await backend.countQueue("emails")).ready).toBe(0);
  });

  it("pauses and resumes a queue for every pool, and shows its state and rate limits", async () => {
    const { backend, echo, broker, client } = await setup();
    await echo.generate({ args: ["1"] });
    await broker.setRateLimit("emails", { max: 100, durationMs: 1_000 });
    expect(await client.page("/queues/emails")).toContain("Rate limits: queue: 100 per 1000 ms.");
    const paused = await client.submitForm("/queues/emails", "/pause");
    expect(decodeURIComponent(paused.headers.get("location") ?? "")).toContain("Paused emails");
    expect((await backend.getQueueControl("emails")).paused).toBe(true);
    expect((await backend.claim({ queues: ["emails"], limit: 1, leaseMs: 60_000 })).messages).toEqual([]);
    expect(await client.page("/")).toContain('<span class="badge">paused</span>');
    expect(await client.page("/queues/emails")).toContain('data-paused="true"');
    await client.submitForm("/queues/emails", "/resume");
    expect((await backend.getQueueControl("emails")).paused).toBe(false);
    expect((await backend.claim({ queues: ["emails"], limit: 1, leaseMs: 60_000 })).messages).toHaveLength(1);
  });

  it("in read-only mode hides every action and refuses their POSTs", async () => {
    const { backend, echo, client } = await setup({ readOnly: true });
    await echo.generate({ args: ["1"] });
    const uuid = await deadLetter(backend, "emails", "boom");
    const page = await client.page("/queues/emails/dead");
    expect(page).not.toContain('method="post"');
    expect(await client.page("/queues/emails")).not.toContain('method="post"');
    expect(await client.page(`/queues/emails/messages/${uuid}`)).not.toContain('method="post"');
    expect((await client.request("/queues/emails/pause", { method: "POST", body: "" })).status).toBe(403);
    expect((await backend.getQueueControl("emails")).paused).toBe(false);
    const response = await client.request(`/queues/emails/messages/${uuid}/redrive`, { method: "POST", body: "" });
    expect(response.status).toBe(403);
    expect(await backend.getDeadLetter({ queue: "emails", uuid })).not.toBeNull();
  });

  it("calls authorize for pages, assets, metrics, actions and event streams", async () => {
    const seen: string[] = [];
    const { client } = await setup({
      authorize: (request) => {
        seen.push(new URL(request.url).pathname);
        return request.headers.get("x-user") === "ops" ? true : new Response("login first", { status: 401 });
      },
    });
    for (const path of ["/", "/assets/dashboard.js", "/metrics", "/events?topic=counts", "/live"]) {
      const response = await client.request(path);
      expect(response.status, path).toBe(401);
      expect(await response.text()).toBe("login first");
    }
    const post = await client.request("/queues/emails/purge", { method: "POST", body: "confirm=emails" });
    expect(post.status).toBe(401);
    expect(seen).toEqual(["/", "/assets/dashboard.js", "/metrics", "/events", "/live", "/queues/emails/purge"]);
    const allowed = await client.request("/", { headers: { "x-user": "ops" } });
    expect(allowed.status).toBe(200);
  });

  it("serves under basePath and prefixes every link", async () => {
    const { echo, client } = await setup({ basePath: "/admin/queues/" });
    await echo.generate({ args: ["1"] });
    expect((await client.request("/")).status).toBe(404);
    expect((await client.request("/admin/queues")).status).toBe(303);
    const page = await client.page("/admin/queues/");
    expect(page).toContain('href="/admin/queues/queues/emails"');
    expect(page).toContain('src="/admin/queues/assets/dashboard.js');
    expect(page).not.toMatch(/(href|src|action)="\/(?!admin\/queues)/);
  });

  it("streams counts as messages are submitted", async () => {
    const { echo, client } = await setup({ pollInterval: 50 });
    const response = await client.request("/events?topic=counts");
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    let submitted = false;
    const events = await readEvents(response, (event) => {
      if (event.event !== "counts") return false;
      const queues = (event.data as { queues: { queue: string; counts: { ready: number } }[] }).queues;
      if (!submitted) {
        submitted = true;
        void echo.generate({ args: ["1"] });
        void echo.generate({ args: ["2"] });
      }
      return queues.some((q) => q.queue === "emails" && q.counts.ready === 2);
    });
    expect(events.at(-1)?.event).toBe("counts");
  });

  it("shares one subscription per message among 50 open tabs and drops it when they close", async () => {
    const { backend, echo, statusTracker, dashboard } = await setup();
    const message = await echo.generate({ args: ["1"] });
    let active = 0;
    let opened = 0;
    const subscribe = backend.subscribe.bind(backend);
    backend.subscribe = async (channel, listener): Promise<Subscription> => {
      opened += 1;
      active += 1;
      const subscription = await subscribe(channel, listener);
      return {
        unsubscribe: async () => {
          active -= 1;
          await subscription.unsubscribe();
        },
      };
    };
    const tabs = await Promise.all(
      Array.from({ length: 50 }, () => dashboard(new Request(`http://dash.test/events?topic=message&queue=emails&uuid=${message.uuid}`))),
    );
    const readers = tabs.map((tab) => readEvents(tab, (e) => e.event === "status" && (e.data as { status: string }).status === "RUNNING"));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await statusTracker.set(message, TaskStatus.RUNNING);
    const seen = await Promise.all(readers);
    expect(seen.every((events) => events.some((e) => (e.data as { status: string }).status === "RUNNING"))).toBe(true);
    expect(opened).toBe(3); // the status, progress and result channels, once for all tabs
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(active).toBe(0);
  });

  it("exposes Prometheus metrics per queue and state", async () => {
    const { echo, client } = await setup();
    await echo.generate({ args: ["1"] });
    const response = await client.request("/metrics");
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    expect(text).toContain('alsek_queue_messages{queue="emails",state="ready"} 1');
    expect(text).toContain('alsek_messages_completed_total{queue="emails"} 0');
    expect(text).toMatch(/alsek_queue_oldest_ready_age_seconds\{queue="emails"\} [0-9.]+/);
  });
});

describe("actions on live messages", () => {
  it("runs a delayed message now, revokes one and removes one", async () => {
    const { backend, echo, statusTracker, client } = await setup();
    const delayed = await echo.generate({ args: ["later"], delay: 3_600_000 });
    const doomed = await echo.generate({ args: ["revoke me"] });
    const gone = await echo.generate({ args: ["remove me"] });
    const ranNow = await client.submitForm(`/queues/emails?state=delayed`, `/messages/${delayed.uuid}/retry-now`);
    expect(decodeURIComponent(ranNow.headers.get("location") ?? "")).toContain("is ready to run now");
    const counts = await backend.countQueue("emails");
    expect(counts).toMatchObject({ ready: 3, delayed: 0 });
    await client.submitForm(`/queues/emails/messages/${doomed.uuid}`, `/messages/${doomed.uuid}/revoke`);
    expect(await backend.getMessage({ queue: "emails", uuid: doomed.uuid })).toBeNull();
    expect((await statusTracker.get(doomed)).status).toBe(TaskStatus.FAILED);
    await client.submitForm(`/queues/emails/messages/${gone.uuid}`, `/messages/${gone.uuid}/remove`);
    expect(await backend.getMessage({ queue: "emails", uuid: gone.uuid })).toBeNull();
    expect((await backend.countQueue("emails")).ready).toBe(1);
  });

  it("answers 400 for a malformed cursor or uuid, with the reason", async () => {
    const { client } = await setup();
    const response = await client.request("/queues/emails?cursor=%3Cnot-a-cursor%3E");
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/^Bad request: /);
    expect((await client.request("/queues/bad%20name")).status).toBe(400);
  });
});
