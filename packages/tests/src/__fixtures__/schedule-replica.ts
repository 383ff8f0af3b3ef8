// Child process of the shared-schedule tests: one replica of a producer that defines a 1-second
// IntervalTrigger task and calls generate(), like every replica of a deployment would. It prints
// "ready <progenitor uuid>" once it takes part in the schedule, and shuts its part down when its
// stdin closes.
import { Broker, IntervalTrigger, task, type Backend } from "@alsek/core";
import { RedisBackend } from "@alsek/redis";
import { SqliteBackend } from "@alsek/sqlite";

const [kind, target, namespace] = process.argv.slice(2);
const backend: Backend =
  kind === "redis" ? new RedisBackend(target!, { namespace: namespace! }) : new SqliteBackend(target!, { namespace: namespace! });
const broker = new Broker(backend);

const tick = task(broker, { queue: "ticks", trigger: new IntervalTrigger({ seconds: 1 }) }, function tick() {});

const first = await tick.generate();
console.log(`ready ${first.uuid}`);

process.stdin.resume();
process.stdin.on("end", () => {
  void (async () => {
    await tick.shutdown();
    await backend.close();
    process.exit(0);
  })();
});
