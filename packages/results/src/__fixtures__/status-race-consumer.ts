// A pool stand-in in a process of its own: claims from the race queue as soon as work arrives and
// runs each message inline (RUNNING, the task, ack, SUCCEEDED), like a pool's main process does.
import { Consumer, runInline, type Task } from "@alsek/core";
import { RACE_QUEUE, raceSetup } from "./status-race-tasks.js";

const [url, namespace] = process.argv.slice(2);
if (url === undefined || namespace === undefined) throw new Error("usage: status-race-consumer <redis url> <namespace>");
const { backend, broker, echo } = raceSetup(url, namespace);
const consumer = new Consumer(broker, { queues: [RACE_QUEUE], leaseMs: 30_000 });
process.on("SIGTERM", () => {
  void consumer.close().then(() => backend.close()).then(() => process.exit(0));
});
// Connected and waiting: the test starts submitting now.
await backend.countQueue(RACE_QUEUE);
process.stdout.write("ready\n");
for await (const message of consumer.stream()) await runInline(echo as unknown as Task, message);
