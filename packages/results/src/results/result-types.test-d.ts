import { Broker, Message, task, type Backend } from "@alsek/core";
import { describe, expectTypeOf, it } from "vitest";
import type { MessageLike } from "../messages/index.js";
import { StatusTracker, type StatusUpdate } from "../status/index.js";
import type { TaskStatus } from "@alsek/core";
import { ResultPool, ResultStore, type GetResultOptions, type ResultRecord } from "./index.js";

declare const backend: Backend;
const broker = new Broker(backend);
const resultStore = new ResultStore(backend);
const statusTracker = new StatusTracker(backend);

const add = task(broker, { resultStore, statusTracker }, function add(a: number, b: number) {
  return a + b;
});
const fetchUser = task(broker, { resultStore }, async function fetchUser(id: string) {
  return { id, name: "Ada" };
});
const printResult = task(broker, { resultStore, passMessage: true }, function printResult(message: Message) {
  return String(message.previousResult);
});
type User = { id: string; name: string };

describe("ResultStore.get", () => {
  it("infers the result from a generated message", async () => {
    const message = await add.generate({ args: [1, 2] });
    expectTypeOf(await resultStore.get(message)).toEqualTypeOf<number>();
    expectTypeOf(await resultStore.get(message, { timeout: 1_000, keep: true })).toEqualTypeOf<number>();
    const user = await fetchUser.generate({ args: ["u1"] });
    expectTypeOf(await resultStore.get(user)).toEqualTypeOf<User>();
  });

  it("gives records with withMetadata, arrays with descendants", async () => {
    const message = await add.generate({ args: [1, 2] });
    expectTypeOf(await resultStore.get(message, { withMetadata: true })).toEqualTypeOf<ResultRecord<number>>();
    expectTypeOf(await resultStore.get(message, { descendants: true })).toEqualTypeOf<number[]>();
    expectTypeOf(await resultStore.get(message, { descendants: true, withMetadata: true })).toEqualTypeOf<
      ResultRecord<number>[]
    >();
    expectTypeOf(await resultStore.get(message, { descendants: false, withMetadata: false })).toEqualTypeOf<number>();
  });

  it("includes the callbacks' results under descendants", async () => {
    const root = await add.generate({ args: [1, 2], callback: await printResult.defer().generate() });
    expectTypeOf(await resultStore.get(root)).toEqualTypeOf<number>();
    expectTypeOf(await resultStore.get(root, { descendants: true })).toEqualTypeOf<(number | string)[]>();
  });

  it("gives both shapes when a flag is only known to be a boolean", async () => {
    const message = await add.generate({ args: [1, 2] });
    const options: GetResultOptions = {};
    expectTypeOf(await resultStore.get(message, options)).toEqualTypeOf<
      number | number[] | ResultRecord<number> | ResultRecord<number>[]
    >();
  });

  it("stays unknown for untyped messages and plain data", async () => {
    const readBack = new Message({ taskName: "add" });
    expectTypeOf(await resultStore.get(readBack)).toEqualTypeOf<unknown>();
    const plain: MessageLike = { queue: "q", uuid: "u" };
    expectTypeOf(await resultStore.get(plain)).toEqualTypeOf<unknown>();
    expectTypeOf(await resultStore.get(plain, { descendants: true })).toEqualTypeOf<unknown[]>();
    const message = await add.generate({ args: [1, 2] });
    expectTypeOf(await resultStore.get(message.data)).toEqualTypeOf<unknown>();
  });

  it("takes typed messages in waitFor, exists and delete", async () => {
    const message = await add.generate({ args: [1, 2] });
    expectTypeOf(resultStore.waitFor(message, { timeout: 1_000 })).toEqualTypeOf<Promise<void>>();
    expectTypeOf(resultStore.exists(message)).toEqualTypeOf<Promise<boolean>>();
    expectTypeOf(resultStore.delete(message)).toEqualTypeOf<Promise<number>>();
    // @ts-expect-error the result of a number task is not a string
    const wrong: string = await resultStore.get(message);
    void wrong;
  });
});

describe("ResultPool", () => {
  const pool = new ResultPool(resultStore);

  it("yields each message with its typed result", async () => {
    const messages = await add.generateMany([{ args: [1, 2] }, { args: [3, 4] }]);
    for await (const [message, result] of pool.istream(messages)) {
      expectTypeOf(message).toEqualTypeOf<(typeof messages)[number]>();
      expectTypeOf(result).toEqualTypeOf<number>();
    }
    for await (const [, result] of pool.stream(messages, { withMetadata: true })) {
      expectTypeOf(result).toEqualTypeOf<ResultRecord<number>>();
    }
    for await (const [, results] of pool.istream(messages, { descendants: true })) {
      expectTypeOf(results).toEqualTypeOf<number[]>();
    }
  });

  it("pairs each message of a mixed tuple with its own result type", async () => {
    const sum = await add.generate({ args: [1, 2] });
    const user = await fetchUser.generate({ args: ["u1"] });
    for await (const pair of pool.istream([sum, user])) {
      expectTypeOf(pair).toEqualTypeOf<[typeof sum, number] | [typeof user, User]>();
    }
    for await (const [, result] of pool.stream([sum, user])) {
      expectTypeOf(result).toEqualTypeOf<number | User>();
    }
  });

  it("yields unknown for plain message data", async () => {
    const plain: MessageLike[] = [{ queue: "q", uuid: "u" }];
    for await (const [message, result] of pool.istream(plain)) {
      expectTypeOf(message).toEqualTypeOf<MessageLike>();
      expectTypeOf(result).toEqualTypeOf<unknown>();
    }
  });
});

describe("StatusTracker", () => {
  it("takes typed messages, untyped messages and plain data alike", async () => {
    const message = await add.generate({ args: [1, 2] });
    expectTypeOf(statusTracker.get(message)).toEqualTypeOf<Promise<StatusUpdate>>();
    expectTypeOf(statusTracker.waitFor(message, [] as TaskStatus[])).toEqualTypeOf<Promise<TaskStatus>>();
    expectTypeOf(statusTracker.listen(message)).toEqualTypeOf<AsyncGenerator<StatusUpdate, void, undefined>>();
    expectTypeOf(statusTracker.get(message.data)).toEqualTypeOf<Promise<StatusUpdate>>();
    expectTypeOf(statusTracker.get(new Message({ taskName: "add" }))).toEqualTypeOf<Promise<StatusUpdate>>();
  });
});
