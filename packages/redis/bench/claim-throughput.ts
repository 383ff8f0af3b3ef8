// Claim throughput and memory per queued message of RedisBackend, at several backlog sizes.
// Run from the repo root:
//   pnpm tsx --conditions=@alsek/source packages/redis/bench/claim-throughput.ts [10000,1000000]
// It starts its own redis-server on a free port. Numbers depend on the machine; they are a
// smoke check of the O(N log n) claim, not a comparison (that is @alsek/bench's job).
import { messageData } from "@alsek/backend-conformance";
import { startRedisServer } from "@alsek/test-support";
import { RedisBackend } from "../src/index.js";

const SIZES = (process.argv[2] ?? "10000,1000000").split(",").map(Number);
const SUBMIT_BATCH = 1_000;
const CLAIM_BATCH = 100;
const CLAIMS_MEASURED = 20_000;

async function usedMemory(backend: RedisBackend): Promise<number> {
  const info = String(await backend.client.call("INFO", "memory"));
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

const server = await startRedisServer();
try {
  for (const size of SIZES) {
    const backend = new RedisBackend(server.url, { namespace: `bench${size}` });
    const template = messageData("bench");
    const before = await usedMemory(backend);
    let started = performance.now();
    for (let offset = 0; offset < size; offset += SUBMIT_BATCH * 4) {
      const batches = [];
      for (let b = 0; b < 4 && offset + b * SUBMIT_BATCH < size; b += 1) {
        const count = Math.min(SUBMIT_BATCH, size - offset - b * SUBMIT_BATCH);
        batches.push(
          backend.submit(
            Array.from({ length: count }, (_, i) => {
              const uuid = `m${offset + b * SUBMIT_BATCH + i}`;
              return { queue: "bench", uuid, priority: 0, readyAt: 0, data: { ...template, uuid } };
            }),
          ),
        );
      }
      await Promise.all(batches);
    }
    const submitSeconds = (performance.now() - started) / 1000;
    const bytesPerMessage = ((await usedMemory(backend)) - before) / size;

    await backend.client.call("CONFIG", "RESETSTAT");
    const toClaim = Math.min(CLAIMS_MEASURED, size);
    let claimed = 0;
    started = performance.now();
    while (claimed < toClaim) {
      const { messages } = await backend.claim({ queues: ["bench"], limit: CLAIM_BATCH, leaseMs: 60_000 });
      claimed += messages.length;
    }
    const claimSeconds = (performance.now() - started) / 1000;
    console.log(
      `${size.toLocaleString("en")} queued: submit ${Math.round(size / submitSeconds).toLocaleString("en")} msg/s, ` +
        `${Math.round(bytesPerMessage)} B of Redis memory per queued message, ` +
        `claim ${Math.round(claimed / claimSeconds).toLocaleString("en")} msg/s (batches of ${CLAIM_BATCH}, ` +
        `${claimed.toLocaleString("en")} claims)`,
    );
    if (process.env.BENCH_COMMANDSTATS === "1") {
      const stats = String(await backend.client.call("INFO", "commandstats"));
      // Server-side cost of the claim calls alone (stats were reset before claiming).
      console.log(stats.split("\n").filter((l) => /evalsha|eval:/.test(l)).join("\n"));
    }
    await backend.clear();
    await backend.close();
  }
} finally {
  await server.stop();
}
