// Mounting the dashboard in Express, Fastify, Koa and Hono, each on a real HTTP server: a page,
// a POST action with its CSRF cookie and token, and a live event stream go through each.
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Broker, MemoryBackend, task } from "@alsek/core";
import express from "express";
import Fastify from "fastify";
import { Hono } from "hono";
import Koa from "koa";
import { afterEach, describe, expect, it } from "vitest";
import { DashboardClient, readEvents } from "../__tests__/dashboard-client.js";
import { createDashboard, toNodeListener } from "../index.js";
import type { Dashboard } from "../index.js";

const BASE = "/admin/queues";
const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fixture(): Promise<{ dashboard: Dashboard; backend: MemoryBackend; deadUuid: string }> {
  const backend = new MemoryBackend();
  const broker = new Broker(backend);
  const echo = task(broker, { name: "echo", queue: "mounted" }, (value: string) => value);
  await echo.generate({ args: ["kept"] });
  await echo.generate({ args: ["dead"] });
  const claim = await backend.claim({ queues: ["mounted"], limit: 1, leaseMs: 30_000 });
  const dead = claim.messages[0]!;
  await backend.fail(dead.lease, dead.data, 60_000);
  const dashboard = createDashboard({ backend, basePath: BASE, pollInterval: 50 });
  cleanups.push(() => backend.close(), () => dashboard.close());
  return { dashboard, backend, deadUuid: dead.data.uuid };
}

function listen(server: Server): Promise<string> {
  cleanups.push(
    () =>
      new Promise((resolve) => {
        server.close(resolve);
        // fetch keeps connections alive; close them instead of waiting for their timeout.
        server.closeAllConnections();
      }),
  );
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

/** What every mounting must support, checked through real HTTP. */
async function expectMounted(origin: string, backend: MemoryBackend, deadUuid: string): Promise<void> {
  const client = new DashboardClient((request) => fetch(request), origin);
  expect(await client.page(`${BASE}/`)).toContain(`href="${BASE}/queues/mounted"`);
  const js = await client.request(`${BASE}/assets/dashboard.js`);
  expect(js.headers.get("content-type")).toContain("javascript");
  const redrive = await client.submitForm(`${BASE}/queues/mounted/dead`, `/messages/${deadUuid}/redrive`);
  expect(redrive.status).toBe(303);
  expect(redrive.headers.get("location")).toMatch(new RegExp(`^${BASE}/`));
  expect(await backend.getDeadLetter({ queue: "mounted", uuid: deadUuid })).toBeNull();
  const events = await readEvents(await client.request(`${BASE}/events?topic=counts`), (e) => e.event === "counts");
  expect(JSON.stringify(events.at(-1)?.data)).toContain('"queue":"mounted"');
}

describe("mounting", () => {
  it("works on node:http", async () => {
    const { dashboard, backend, deadUuid } = await fixture();
    const origin = await listen(createServer(toNodeListener(dashboard)));
    await expectMounted(origin, backend, deadUuid);
  });

  it("drops a live stream's subscriptions when the client goes away", async () => {
    const { dashboard, backend } = await fixture();
    const [listed] = (await backend.claim({ queues: ["mounted"], limit: 1, leaseMs: 30_000 })).messages;
    let active = 0;
    const subscribe = backend.subscribe.bind(backend);
    backend.subscribe = async (channel, listener) => {
      active += 1;
      const subscription = await subscribe(channel, listener);
      return {
        unsubscribe: async () => {
          active -= 1;
          await subscription.unsubscribe();
        },
      };
    };
    const origin = await listen(createServer(toNodeListener(dashboard)));
    const tabs = Array.from({ length: 5 }, () => new AbortController());
    const streams = await Promise.all(
      tabs.map((tab) => fetch(`${origin}${BASE}/events?topic=message&queue=mounted&uuid=${listed!.data.uuid}`, { signal: tab.signal })),
    );
    const readers = streams.map((stream) => stream.body!.getReader());
    await Promise.all(readers.map((reader) => reader.read()));
    expect(active).toBe(3); // the status, progress and result channels, once for all five tabs
    for (const tab of tabs) tab.abort();
    for (let i = 0; active > 0 && i < 200; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(active).toBe(0);
  });

  it("works in Express with app.use(basePath, …)", async () => {
    const { dashboard, backend, deadUuid } = await fixture();
    const app = express();
    app.use(BASE, toNodeListener(dashboard));
    app.get("/", (_req, res) => void res.send("the app's own page"));
    const origin = await listen(createServer(app));
    await expectMounted(origin, backend, deadUuid);
    expect(await (await fetch(`${origin}/`)).text()).toBe("the app's own page");
  });

  it("works in Fastify with a hijacked wildcard route", async () => {
    const { dashboard, backend, deadUuid } = await fixture();
    const app = Fastify();
    const listener = toNodeListener(dashboard);
    // Leave form bodies unread: the dashboard reads them from the raw request.
    app.addContentTypeParser("application/x-www-form-urlencoded", (_request, _payload, done) => done(null));
    app.all(`${BASE}/*`, async (request, reply) => {
      reply.hijack();
      await listener(request.raw, reply.raw);
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    cleanups.push(() => app.close());
    const port = (app.server.address() as AddressInfo).port;
    await expectMounted(`http://127.0.0.1:${port}`, backend, deadUuid);
  });

  it("works in Koa with a middleware that hands over req and res", async () => {
    const { dashboard, backend, deadUuid } = await fixture();
    const app = new Koa();
    const listener = toNodeListener(dashboard);
    app.use(async (ctx, next) => {
      if (ctx.path !== BASE && !ctx.path.startsWith(`${BASE}/`)) return next();
      ctx.respond = false;
      await listener(ctx.req, ctx.res);
    });
    const origin = await listen(createServer(app.callback()));
    await expectMounted(origin, backend, deadUuid);
  });

  it("works in Hono, which speaks Request and Response itself", async () => {
    const { dashboard, backend, deadUuid } = await fixture();
    const app = new Hono();
    app.all(`${BASE}/*`, (c) => dashboard(c.req.raw));
    const origin = await listen(createServer(toNodeListener((request) => Promise.resolve(app.fetch(request)))));
    await expectMounted(origin, backend, deadUuid);
  });
});
