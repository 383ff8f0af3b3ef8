// Tasks of the result-pool example. Workers import this module by URL, so it only defines things.
import { setTimeout as sleep } from "node:timers/promises";
import { Broker, task } from "@alsek/core";
import { ResultStore } from "@alsek/results";
import { backend } from "./backend.js";

export const broker = new Broker(backend);
export const resultStore = new ResultStore(backend);

/** The guided tour's `sum_n`, taking `ms` to finish so that results arrive out of input order. */
export const sumN = task(broker, { mechanism: "thread", resultStore }, async function sumN(n: number, ms: number) {
  await sleep(ms);
  return (n * (n + 1)) / 2;
});
