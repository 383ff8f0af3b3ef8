// Child process of queue-events tests: reads the queue's events with QueueEvents from the oldest
// kept, prints "ready" once reading, and after `count` succeeded events prints every event it saw
// as JSON lines [type, uuid, attempt].
import { QueueEvents } from "@alsek/results";
import { eventsBackend } from "./queue-events-tasks.js";

const [kind, where, queue, countText] = process.argv.slice(2);
const count = Number(countText);
const backend = eventsBackend(kind!, where!);
const events = new QueueEvents(backend, { queues: [queue!], from: "oldest" });
const seen: [string, string, number][] = [];
let succeeded = 0;
const reading = (async () => {
  for await (const event of events) {
    seen.push([event.type, event.uuid, event.attempt]);
    if (event.type === "succeeded" && ++succeeded >= count) break;
  }
})();
process.stdout.write("ready\n");
await reading;
await events.close();
await backend.close();
process.stdout.write(`${seen.map((event) => JSON.stringify(event)).join("\n")}\n`);
