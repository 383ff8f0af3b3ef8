// Plain JavaScript task module (no loader needed): only process-mechanism tasks.
import { Broker, MemoryBackend, task } from "@alsek/core";

const broker = new Broker(new MemoryBackend());

export const crunch = task(broker, { mechanism: "process" }, function crunch(n) {
  return n * 2;
});
