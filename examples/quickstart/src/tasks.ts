// The tasks of the quick start. Pool workers import this module by URL to find them, so it only
// defines things: the backend connects on first use and nothing runs at import time.
import { Broker, task } from "@alsek/core";
import { ResultStore } from "@alsek/results";
import { backend } from "./backend.js";

export const broker = new Broker(backend);
export const resultStore = new ResultStore(backend);

export const add = task(
  broker,
  { queue: "math_ops", mechanism: "thread", timeout: 90_000, maxRetries: 3, resultStore },
  function add(a: number, b: number) {
    return a + b;
  },
);

export const multiply = task(
  broker,
  { queue: "math_ops", mechanism: "thread", timeout: 90_000, maxRetries: 3, resultStore },
  function multiply(a: number, b: number) {
    return a * b;
  },
);
