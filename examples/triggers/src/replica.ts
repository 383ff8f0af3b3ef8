// Another replica of the producer: a separate process that defines the same trigger task (it
// imports tasks.ts) and calls generate(), as every replica of a deployment would. The schedule is
// stored in the backend, so this process joins it: nothing is submitted now, it gets the stored
// first message back, and from then on it races the other replicas for each tick (one of them
// wins each). main.ts disconnects it at the end.
import { closeBackend } from "./backend.js";
import { harvestData } from "./tasks.js";

const first = await harvestData.generate();
process.send?.({ joined: first.uuid });

process.on("disconnect", () => {
  void (async () => {
    await harvestData.shutdown();
    await closeBackend({ keepFile: true });
  })();
});
