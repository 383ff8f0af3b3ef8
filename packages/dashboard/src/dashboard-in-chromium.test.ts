// End to end in headless Chromium (Debian's package, driven by playwright-core): a real Redis, a
// real ThreadWorkerPool, the dashboard on node:http. Three mounts of one backend: a full one, a
// read-only one and one behind an authorize hook.
import { existsSync, mkdirSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { setLogLevel } from "@alsek/core";
import { ThreadWorkerPool } from "@alsek/worker-thread";
import { startRedisServer, type RedisServer } from "@alsek/test-support";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDashboard, toNodeListener } from "./index.js";
import type { Dashboard } from "./index.js";

// Functions given to page.evaluate run in the page: this is the little of the DOM they use.
declare const document: { querySelector(selector: string): { textContent: string | null } | null; documentElement: { scrollWidth: number }; body: object };
declare function getComputedStyle(element: object): { backgroundColor: string };
declare const window: { innerWidth: number; __xss?: string };

/** Where the screenshots go (git-ignored). */
const OUTPUT_DIR = new URL("../test-output/", import.meta.url);
const CHROMIUM = process.env.ALSEK_CHROMIUM ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
/** A safety net for waits in the page, not a speed assertion. */
const WAIT_MS = 20_000;

let redis: RedisServer;
let tasks: typeof import("./__fixtures__/browser-tasks.js");
let browser: Browser;
let origin: string;
let page: Page;
let pool: ThreadWorkerPool | null = null;
const dashboards: Dashboard[] = [];
const server = createServer();

beforeAll(async () => {
  // Failing tasks are part of the plan here: keep their warnings out of the test output.
  setLogLevel("error");
  redis = await startRedisServer();
  process.env.ALSEK_DASHBOARD_TEST_REDIS_URL = redis.url;
  tasks = await import("./__fixtures__/browser-tasks.js");
  const backend = tasks.backend;
  const mounts: [string, Dashboard][] = [
    ["/ops", createDashboard({ backend, basePath: "/ops", pollInterval: 200 })],
    ["/ro", createDashboard({ backend, basePath: "/ro", readOnly: true, pollInterval: 200 })],
    ["/locked", createDashboard({ backend, basePath: "/locked", authorize: (request) => request.headers.get("cookie")?.includes("user=ops") === true })],
  ];
  dashboards.push(...mounts.map(([, d]) => d));
  const listeners = mounts.map(([path, dashboard]) => [path, toNodeListener(dashboard)] as const);
  server.on("request", (req, res) => {
    const found = listeners.find(([path]) => req.url === path || req.url?.startsWith(`${path}/`));
    if (found) void found[1](req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install Debian's package (apt-get install chromium; .ci/run does) or set ALSEK_CHROMIUM.`);
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  mkdirSync(OUTPUT_DIR, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const dashboard of dashboards) await dashboard.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await tasks?.backend.close();
  await redis?.stop();
});

beforeEach(async () => {
  await tasks.backend.clear();
  page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  // The pages ask before destructive actions.
  page.on("dialog", (dialog) => void dialog.accept());
});

afterEach(async () => {
  await page.close();
  if (pool !== null) await pool.stop();
  pool = null;
});

function startPool(): void {
  pool = new ThreadWorkerPool({ tasks: [tasks.slowEcho, tasks.flaky], nThreads: 2, nProcesses: 1 });
  void pool.run();
}

/** Wait until the element's text is `expected`. */
async function waitForText(selector: string, expected: string): Promise<void> {
  await page.waitForFunction(
    ([sel, text]) => document.querySelector(sel as string)?.textContent?.trim() === text,
    [selector, expected],
    { timeout: WAIT_MS },
  );
}

/** The statuses listed in the message page's timeline, in order. */
function timeline(): Promise<string[]> {
  return page.$$eval("#timeline li", (items) => items.map((li) => li.getAttribute("data-status") ?? ""));
}

describe("the dashboard in Chromium", () => {
  it("shows queue counts change live as a producer submits", async () => {
    await tasks.held.generate();
    await page.goto(`${origin}/ops/`);
    await waitForText('tr[data-queue="held"] [data-count="ready"]', "1");
    await page.waitForSelector("#live-state.ready", { timeout: WAIT_MS });
    for (let i = 0; i < 4; i++) await tasks.held.generate();
    await tasks.slowEcho.generate({ args: ["later", 0], delay: 3_600_000 });
    await waitForText('tr[data-queue="held"] [data-count="ready"]', "5");
    // A queue that did not exist when the page loaded gets its row.
    await waitForText('tr[data-queue="work"] [data-count="delayed"]', "1");
  });

  it("follows a message from SUBMITTED through RUNNING to SUCCEEDED without a reload", async () => {
    const message = await tasks.slowEcho.generate({ args: ["<b>hello</b>", 800] });
    await page.goto(`${origin}/ops/queues/work/messages/${message.uuid}`);
    await waitForText("#status", "SUBMITTED");
    await page.waitForSelector("#live-state.ready", { timeout: WAIT_MS });
    startPool();
    await waitForText("#status", "SUCCEEDED");
    expect(await timeline()).toEqual(["SUBMITTED", "RUNNING", "SUCCEEDED"]);
    expect(JSON.parse((await page.textContent("#result")) ?? "null")).toEqual({ echoed: "<b>hello</b>" });
    expect(await page.$$eval("b", (nodes) => nodes.length)).toBe(0);
    await page.screenshot({ path: new URL("message.png", OUTPUT_DIR).pathname, fullPage: true });
    // Once completed the message is gone from its queue; its status and result are still shown.
    await page.reload();
    await waitForText("#status", "SUCCEEDED");
    expect(await page.textContent("#result")).toContain("<b>hello</b>");
  });

  it("redrives a dead letter, which then completes", async () => {
    startPool();
    const message = await tasks.flaky.generate({ args: ["order-7"] });
    await tasks.statusTracker.waitFor(message, tasks.TaskStatus.FAILED, { timeout: WAIT_MS });
    await page.goto(`${origin}/ops/queues/work/dead`);
    await waitForText('[data-count="deadLettered"]', "1");
    await tasks.backend.setValue("flaky-fixed", true);
    await page.click(`tr[data-uuid="${message.uuid}"] form[action$="/redrive"] button`);
    await page.waitForSelector(".notice", { timeout: WAIT_MS });
    expect(await page.textContent(".notice")).toContain(`Redrove ${message.uuid}`);
    await page.goto(`${origin}/ops/queues/work/messages/${message.uuid}`);
    await waitForText("#status", "SUCCEEDED");
    expect(await page.textContent("#result")).toContain("fixed order-7");
  });

  it("escapes <script> in arguments and in error messages", async () => {
    startPool();
    const hostileArgs = await tasks.slowEcho.generate({ args: ['<script>window.__xss = "args"</script>', 0] });
    const hostileError = await tasks.flaky.generate({ args: ["<img src=x onerror=\"window.__xss='img'\">"] });
    await tasks.statusTracker.waitFor(hostileError, tasks.TaskStatus.FAILED, { timeout: WAIT_MS });
    await tasks.statusTracker.waitFor(hostileArgs, tasks.TaskStatus.SUCCEEDED, { timeout: WAIT_MS });
    for (const path of [`/ops/queues/work/messages/${hostileArgs.uuid}`, `/ops/queues/work/messages/${hostileError.uuid}`, "/ops/queues/work/dead", "/ops/live?queue=work"]) {
      await page.goto(`${origin}${path}`);
      // Only the dashboard's own script element exists, and no injected image.
      expect(await page.$$eval("script", (nodes) => nodes.map((n) => n.getAttribute("src")))).toEqual([expect.stringContaining("/assets/dashboard.js")]);
      expect(await page.$$eval("img", (nodes) => nodes.length)).toBe(0);
      expect(await page.evaluate(() => window.__xss)).toBeUndefined();
    }
    await page.goto(`${origin}/ops/queues/work/messages/${hostileError.uuid}`);
    expect(await page.textContent("#error")).toContain('<script>window.__xss = "error"</script> not fixed yet');
    expect(await page.textContent("#error .stack")).toContain("Error: <script>");
  });

  it("streams results on the live results page as they complete", async () => {
    await tasks.slowEcho.generate({ args: ["warm-up", 0] });
    await page.goto(`${origin}/ops/live?queue=work`);
    await page.waitForSelector("#live-state.ready", { timeout: WAIT_MS });
    // Queued before the pool starts, so the feed sees them pending; the delay leaves it time even
    // on a busy machine (the feed also refreshes as soon as the queue reports a submit).
    const first = await tasks.slowEcho.generate({ args: ["first", 300], delay: 1_500 });
    const second = await tasks.slowEcho.generate({ args: ["<script>x</script>", 0], delay: 1_500 });
    startPool();
    await page.waitForSelector(`#live-results tr[data-uuid="${first.uuid}"]`, { timeout: WAIT_MS });
    await page.waitForSelector(`#live-results tr[data-uuid="${second.uuid}"]`, { timeout: WAIT_MS });
    expect(await page.textContent(`#live-results tr[data-uuid="${second.uuid}"] pre`)).toContain("<script>x</script>");
    // Watching does not consume: the results are still stored.
    expect(await tasks.resultStore.exists(first)).toBe(true);
    const failed = await tasks.flaky.generate({ args: ["for the sparkline"] });
    await tasks.held.generate();
    await tasks.statusTracker.waitFor(failed, tasks.TaskStatus.FAILED, { timeout: WAIT_MS });
    await page.goto(`${origin}/ops/`);
    await waitForText('tr[data-queue="work"] [data-count="deadLettered"]', "1");
    await page.screenshot({ path: new URL("overview.png", OUTPUT_DIR).pathname, fullPage: true });
  });

  it("in read-only mode shows no action and refuses a forged one", async () => {
    startPool();
    const message = await tasks.flaky.generate({ args: ["ro"] });
    await tasks.statusTracker.waitFor(message, tasks.TaskStatus.FAILED, { timeout: WAIT_MS });
    await page.goto(`${origin}/ro/queues/work/dead`);
    await waitForText('[data-count="deadLettered"]', "1");
    expect(await page.$$eval("form[method=post]", (forms) => forms.length)).toBe(0);
    expect(await page.textContent(".top .badge")).toBe("read-only");
    const status = await page.evaluate(async (uuid) => {
      const response = await fetch(`/ro/queues/work/messages/${uuid}/redrive`, { method: "POST", body: new URLSearchParams({ _csrf: "x" }) });
      return response.status;
    }, message.uuid);
    expect(status).toBe(403);
    expect(await tasks.backend.getDeadLetter({ queue: "work", uuid: message.uuid })).not.toBeNull();
  });

  it("blocks pages and the event stream until the authorize hook agrees", async () => {
    const denied = await page.goto(`${origin}/locked/`);
    expect(denied?.status()).toBe(403);
    const streamStatus = await page.evaluate(async () => (await fetch("/locked/events?topic=counts")).status);
    expect(streamStatus).toBe(403);
    await page.context().addCookies([{ name: "user", value: "ops", url: origin }]);
    const allowed = await page.goto(`${origin}/locked/`);
    expect(allowed?.status()).toBe(200);
    await page.waitForSelector("#live-state.ready", { timeout: WAIT_MS });
  });

  it("fits a phone-width screen without horizontal scrolling", async () => {
    startPool();
    await tasks.held.generate({ args: [] });
    const failed = await tasks.flaky.generate({ args: ["a-rather-long-argument-".repeat(8)] });
    await tasks.statusTracker.waitFor(failed, tasks.TaskStatus.FAILED, { timeout: WAIT_MS });
    await page.setViewportSize({ width: 375, height: 700 });
    for (const path of ["/ops/", "/ops/queues/held", "/ops/queues/work/dead", `/ops/queues/work/messages/${failed.uuid}`, "/ops/live?queue=work"]) {
      await page.goto(`${origin}${path}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
  });

  it("follows the OS colour scheme", async () => {
    await page.goto(`${origin}/ops/`);
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: "light" });
    const light = await background();
    await page.emulateMedia({ colorScheme: "dark" });
    const dark = await background();
    expect(light).toBe("rgb(255, 255, 255)");
    expect(dark).not.toBe(light);
  });
});
