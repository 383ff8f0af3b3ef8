// Tasks of the results-reader example, loaded by the producer (src/produce.ts) and by the
// `alsek thread-pool` CLI, never by the reader (src/main.ts). Only definitions here.
import { Broker, task } from "@alsek/core";
import { ResultStore, StatusTracker } from "@alsek/results";
import { backend } from "./backend.js";

export const broker = new Broker(backend);

/** An order total: what a dashboard would show. */
export const priceOrder = task(
  broker,
  { queue: "orders", mechanism: "thread", resultStore: new ResultStore(backend), statusTracker: new StatusTracker(backend) },
  function priceOrder(order: string, quantity: number, unitPrice: number) {
    return { order, total: quantity * unitPrice, pricedBy: process.pid };
  },
);
