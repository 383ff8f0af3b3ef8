import { startRedisServer } from "@alsek/test-support";
const redis = await startRedisServer();
process.env.ALSEK_BENCH_REDIS_URL = redis.url;
const { WorkerChild } = await import("./dist/children/worker-child.js");
const { openDriver } = await import("./dist/sides/open-driver.js");
const { waitUntilDrained } = await import("./dist/scenarios/drain.js");
const { wallClockMs, sleep } = await import("./dist/clock.js");
const side = process.argv[2] ?? "alsek"; const N = 1500;
const driver = await openDriver(side, redis.url);
const child = await WorkerChild.start({ side, redisUrl: redis.url, pool: "thread", concurrency: 10, latencyExpected: 20 + N });
const warm = new Set(await Promise.all(Array.from({ length: 20 }, () => driver.enqueueOne())));
await waitUntilDrained(driver, 20, "w");
const sub = new Map(); const writes = []; const begin = performance.now();
for (let i = 0; i < N; i++) { const w = begin + i * 2 - performance.now(); if (w > 0) await sleep(w); const at = wallClockMs(); writes.push(driver.enqueueOne().then((id) => sub.set(id, at))); }
await Promise.all(writes);
const samples = (await child.latencySamples()).filter((s) => !warm.has(s.id));
const t0 = Math.min(...samples.map((s) => sub.get(s.id)));
const buckets = new Map();
for (const s of samples) { const b = Math.floor((sub.get(s.id) - t0) / 250); const l = s.start - sub.get(s.id); const cur = buckets.get(b) ?? []; cur.push(l); buckets.set(b, cur); }
console.log(side, [...buckets].map(([b, ls]) => `${b*250}ms:max${Math.max(...ls).toFixed(0)}`).join(" "));
await child.stop(); if (side === "alsek") { const { closeAlsek } = await import("./dist/sides/alsek-driver.js"); await closeAlsek(); } else await driver.close(); await redis.stop();
