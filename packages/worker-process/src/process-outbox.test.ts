// What the pool decides for one child process in one tick goes out in one write, in order.
import { expect, it } from "vitest";
import { ProcessOutbox } from "./process-outbox.js";

it("writes the messages of one tick as one batch, in order, and the next tick's as the next", async () => {
  const writes: number[][] = [];
  const outbox = new ProcessOutbox<number>((batch) => writes.push(batch));
  outbox.push(1);
  outbox.push(2);
  outbox.push(3);
  expect(writes).toEqual([]);
  await Promise.resolve();
  expect(writes).toEqual([[1, 2, 3]]);
  await new Promise((resolve) => setImmediate(resolve));
  expect(writes).toEqual([[1, 2, 3]]);
  outbox.push(4);
  await Promise.resolve();
  expect(writes).toEqual([[1, 2, 3], [4]]);
});
