// Tasks that record which Node flags reached the thread or process running them.
import { getHeapStatistics } from "node:v8";
import { task } from "@alsek/core";
import { record } from "../project/record.js";
import { broker } from "../project/singletons.js";

function flagsSeen(mechanism: string): string {
  const heapMb = getHeapStatistics().heap_size_limit / 2 ** 20;
  return `${mechanism}:gc=${typeof (globalThis as { gc?: unknown }).gc}:small-heap=${heapMb < 1_024}`;
}

export const threadFlags = task(broker, { queue: "flags_thread", mechanism: "thread" }, function threadFlags() {
  record("done.txt", flagsSeen("thread"));
});

export const processFlags = task(broker, { queue: "flags_process", mechanism: "process" }, function processFlags() {
  record("done.txt", flagsSeen("process"));
});
