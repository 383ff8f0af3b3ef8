// Tasks of the callbacks example (the guided tour's add_1, add_1_previous and print_result).
// Workers import this module by URL, so it only defines things.
import { Broker, task, type Message } from "@alsek/core";
import { ResultStore } from "@alsek/results";
import { backend } from "./backend.js";

export const broker = new Broker(backend);
export const resultStore = new ResultStore(backend);
const options = { mechanism: "thread", resultStore } as const;

export const add1 = task(broker, options, function add1(n: number) {
  return n + 1;
});

/**
 * Adds one to the result of the message it is a callback of. The message parameter declares what
 * it expects as `previousResult` (`Message<Result, Args, Previous>`): a number, so it can follow
 * only a task that returns one (checked where the callback is given).
 */
export const add1Previous = task(
  broker,
  { ...options, passMessage: true },
  function add1Previous(message: Message<unknown, [], number>) {
    return message.previousResult + 1;
  },
);

/** Prints the result it received (and returns it, so the chain's end is stored too). */
export const printResult = task(broker, { ...options, passMessage: true }, function printResult(message: Message<unknown, [], number>) {
  console.log(`  printResult: previousResult = ${String(message.previousResult)}`);
  return message.previousResult;
});
