// Child process of multi-process.test.ts: listens for result notices of family "batch", reads
// (and deletes) each result, prints "ready" once subscribed and, after `count` results, a JSON
// object of uuid -> consumer id.
import { resultChannel } from "@alsek/core";
import { SqliteBackend } from "../index.js";

const [file, countText] = process.argv.slice(2);
const count = Number(countText);
const backend = new SqliteBackend(file!);
const results: Record<string, unknown> = {};
let finish: () => void = () => {};
const finished = new Promise<void>((resolve) => (finish = resolve));
const subscription = await backend.subscribe(resultChannel("batch"), (uuid) => {
  void backend.getResults([{ queue: "jobs", uuid: String(uuid) }], { keep: false }).then(([result]) => {
    if (result === null || result === undefined) return;
    results[result.uuid] = (result.value as { by: string }).by;
    if (Object.keys(results).length >= count) finish();
  });
});
process.stdout.write("ready\n");
await finished;
await subscription.unsubscribe();
await backend.close();
process.stdout.write(JSON.stringify(results));
