// Child process of multi-process.test.ts: submits `count` messages to queue "jobs" in batches,
// then sets the value "producer-done".
import { SqliteBackend } from "../index.js";
import { queued } from "./message-data.js";

const [file, countText] = process.argv.slice(2);
const count = Number(countText);
const backend = new SqliteBackend(file!);
for (let start = 0; start < count; start += 25) {
  const batch = [];
  for (let i = start; i < Math.min(count, start + 25); i += 1) batch.push(queued("jobs", `m${i}`));
  const outcomes = await backend.submit(batch);
  if (outcomes.some((outcome) => outcome !== "created")) throw new Error(`submit: ${outcomes.join()}`);
}
await backend.setValue("producer-done", true);
await backend.close();
