// Child process of multi-process.test.ts: claims from "jobs" until the producer is done and the
// queue is empty, acks each message with a result under progenitor "batch", and prints the uuids
// it claimed as JSON.
import { SqliteBackend } from "../index.js";

const [file, id] = process.argv.slice(2);
const backend = new SqliteBackend(file!);
const watcher = backend.watch(["jobs"]);
const claimed: string[] = [];
for (;;) {
  const version = watcher.version;
  const { messages, nextReadyInMs } = await backend.claim({ queues: ["jobs"], limit: 3, leaseMs: 120_000 });
  for (const message of messages) {
    claimed.push(message.lease.uuid);
    const outcome = await backend.ack(message.lease, {
      result: { value: { by: id }, ttlMs: null, progenitorUuid: "batch" },
    });
    if (outcome !== "ok") throw new Error(`ack of ${message.lease.uuid}: ${outcome}`);
  }
  if (messages.length > 0) continue;
  if (nextReadyInMs === null && (await backend.getValue("producer-done")) === true) break;
  await watcher.waitForChange(version, Math.min(nextReadyInMs ?? 1_000, 1_000));
}
await watcher.close();
await backend.close();
process.stdout.write(JSON.stringify(claimed));
