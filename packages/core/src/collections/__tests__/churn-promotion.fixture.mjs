// Run by churn-collections.test.ts under `node --trace-gc-nvp`: fills and empties one collection
// the way a pool's in-flight table is, after its table reached the old generation (a pool that idled).
// argv[2]: "map" | "set" | "churn-map" | "churn-set".
import { ChurnMap, ChurnSet } from "@alsek/core";

const kind = process.argv[2];
const table = { map: () => new Map(), set: () => new Set(), "churn-map": () => new ChurnMap(), "churn-set": () => new ChurnSet() }[kind]();
// Sets hold the entry itself, maps key it by its id.
const put = kind.endsWith("set") ? (entry) => table.add(entry) : (entry) => table.set(entry.id, entry);
const take = kind.endsWith("set") ? (entry) => table.delete(entry) : (entry) => table.delete(entry.id);

for (let id = 0; id < 3; id++) put({ id: -1 - id });
// Young garbage until the table's objects have been promoted.
let sink = 0;
for (let i = 0; i < 200_000; i++) sink += new Array(50).fill(i).length;
// Bursts of ten entries in and out, with young garbage between them: a pool's messages.
let id = 0;
for (let burst = 0; burst < 40_000; burst++) {
  const entries = [];
  for (let k = 0; k < 10; k++) {
    const entry = { id, payload: new Array(20).fill(id) };
    put(entry);
    id++;
    entries.push(entry);
  }
  for (const entry of entries) take(entry);
  for (let k = 0; k < 100; k++) sink += new Array(50).fill(k).length;
}
if (table.size !== 3 || sink === 0) throw new Error(`unexpected size ${table.size}`);
