import { describe, expectTypeOf, it } from "vitest";
import type { Broker } from "../broker/index.js";
import { Message, type ArgsOf, type FamilyResultOf, type PreviousResultOf, type ResultOf } from "../messages/index.js";
import { IntervalTrigger } from "../triggers/index.js";
import { task, type Task, type TriggerTask } from "./index.js";

declare const broker: Broker;

describe("task() types", () => {
  it("keeps the function's call signature", () => {
    const add = task(broker, { queue: "math_ops" }, function add(a: number, b: number) {
      return a + b;
    });
    expectTypeOf(add(1, 1)).toEqualTypeOf<number>();
    expectTypeOf(add).toExtend<Task>();
    // @ts-expect-error wrong argument type
    add("x", 1);
  });

  it("checks generate args against the function's parameters", () => {
    const add = task(broker, function add(a: number, b: number) {
      return a + b;
    });
    expectTypeOf(add.generate({ args: [1, 2] })).toEqualTypeOf<Promise<Message<number, [a: number, b: number]>>>();
    // @ts-expect-error a string is not a number
    void add.generate({ args: ["x"] });
    // @ts-expect-error too few arguments
    void add.generate({ args: [1] });
    // @ts-expect-error args are required when the function has required parameters
    void add.generate();
  });

  it("lets a function without parameters generate without options", () => {
    const simple = task(broker, function simple() {
      return 99;
    });
    void simple.generate();
    void simple.generate({ priority: 1 });
    // @ts-expect-error no parameters, so no args
    void simple.generate({ args: [1] });
  });

  it("drops the trailing Message parameter with passMessage", () => {
    const printResult = task(broker, { passMessage: true }, function printResult(prefix: string, message: Message) {
      return `${prefix}${String(message.previousResult)}`;
    });
    void printResult.generate({ args: ["result: "] });
    // @ts-expect-error the message is passed by the worker, not by the caller
    void printResult.generate({ args: ["result: ", {} as Message] });
  });

  it("passes kwargs as the last object parameter", () => {
    const greet = task(broker, function greet(name: string, options: { greeting: string }) {
      return `${options.greeting} ${name}`;
    });
    void greet.generate({ args: ["Ada"], kwargs: { greeting: "Hi" } });
    // @ts-expect-error the kwargs object must match the last parameter
    void greet.generate({ args: ["Ada"], kwargs: { greeting: 1 } });
  });

  it("makes a TriggerTask from a parameterless function with a trigger", () => {
    const check = task(broker, { trigger: new IntervalTrigger({ hours: 1 }) }, function checkSystemUsage() {
      return 99;
    });
    expectTypeOf(check).toExtend<Task>();
    expectTypeOf(check).toExtend<TriggerTask<() => number, false>>();
    expectTypeOf(check.pause).toEqualTypeOf<() => Promise<void>>();
  });

  it("types a trigger task's first message with its result, for its fires' results too", async () => {
    const harvest = task(broker, { trigger: new IntervalTrigger({ seconds: 1 }) }, function harvest() {
      return 42;
    });
    const first = await harvest.generate();
    expectTypeOf<ResultOf<typeof first>>().toEqualTypeOf<number>();
    expectTypeOf<FamilyResultOf<typeof first>>().toEqualTypeOf<number>();
    // @ts-expect-error a trigger fires without arguments
    void harvest.generate({ args: [1] });
  });
});

describe("Task assignability", () => {
  it("lets any concrete task be used where a Task is expected", () => {
    const add = task(broker, function add(a: number, b: number) {
      return a + b;
    });
    const printer = task(broker, { passMessage: true }, function printer(message: Message) {
      return message.uuid;
    });
    const tasks: Task[] = [add, printer];
    expectTypeOf(tasks).toEqualTypeOf<Task[]>();
  });
});

describe("typed results", () => {
  const add = task(broker, function add(a: number, b: number) {
    return a + b;
  });
  const fetchName = task(broker, async function fetchName(id: string) {
    return { id, name: "Ada" };
  });
  const nothing = task(broker, function nothing() {});

  it("types generate()'s message with the awaited result and the args", async () => {
    const message = await add.generate({ args: [1, 2] });
    expectTypeOf(message).toEqualTypeOf<Message<number, [a: number, b: number]>>();
    expectTypeOf<ResultOf<typeof message>>().toEqualTypeOf<number>();
    expectTypeOf<ArgsOf<typeof message>>().toEqualTypeOf<[a: number, b: number]>();
    const named = await fetchName.generate({ args: ["u1"] });
    expectTypeOf<ResultOf<typeof named>>().toEqualTypeOf<{ id: string; name: string }>();
    expectTypeOf<ResultOf<Awaited<ReturnType<typeof nothing.generate>>>>().toEqualTypeOf<void>();
  });

  it("types generateMany()'s messages the same way", async () => {
    const messages = await add.generateMany([{ args: [1, 2] }, { args: [3, 4] }]);
    expectTypeOf(messages).toEqualTypeOf<Message<number, [a: number, b: number]>[]>();
    expectTypeOf<ResultOf<(typeof messages)[number]>>().toEqualTypeOf<number>();
  });

  it("keeps a typed message usable where any Message is expected", async () => {
    const message = await fetchName.generate({ args: ["u1"] });
    const plain: Message = message;
    expectTypeOf(plain).toEqualTypeOf<Message>();
    expectTypeOf(message.clone()).toEqualTypeOf<typeof message>();
    expectTypeOf(message.duplicate()).toEqualTypeOf<typeof message>();
  });

  it("leaves a message built or read back untyped", () => {
    const built = new Message({ taskName: "add" });
    expectTypeOf(built).toEqualTypeOf<Message>();
    expectTypeOf<ResultOf<typeof built>>().toEqualTypeOf<unknown>();
    expectTypeOf<ResultOf<typeof built.data>>().toEqualTypeOf<unknown>();
    expectTypeOf(built.previousResult).toEqualTypeOf<unknown>();
  });
});

describe("callback types", () => {
  const add = task(broker, function add(a: number, b: number) {
    return a + b;
  });
  const shout = task(broker, function shout(text: string) {
    return text.toUpperCase();
  });
  // Declares what it expects from the message it follows: a number.
  const addOnePrevious = task(broker, { passMessage: true }, function addOnePrevious(message: Message<unknown, [], number>) {
    return message.previousResult + 1;
  });
  // Takes anything.
  const printResult = task(broker, { passMessage: true }, function printResult(message: Message) {
    return String(message.previousResult);
  });

  it("types previousResult from the callback's message parameter", async () => {
    const callback = await addOnePrevious.defer().generate();
    expectTypeOf(callback.previousResult).toEqualTypeOf<number>();
    expectTypeOf<PreviousResultOf<typeof callback>>().toEqualTypeOf<number>();
    expectTypeOf<ResultOf<typeof callback>>().toEqualTypeOf<number>();
  });

  it("accepts a callback that takes the result, and adds its result to the family", async () => {
    const root = await add.generate({ args: [1, 2], callback: await printResult.defer().generate() });
    expectTypeOf<ResultOf<typeof root>>().toEqualTypeOf<number>();
    expectTypeOf<FamilyResultOf<typeof root>>().toEqualTypeOf<number | string>();
    const numeric = await add.generate({ args: [1, 2], callback: await addOnePrevious.defer().generate() });
    expectTypeOf<FamilyResultOf<typeof numeric>>().toEqualTypeOf<number>();
  });

  it("rejects a callback that expects another previousResult", async () => {
    const callback = await addOnePrevious.defer().generate();
    // @ts-expect-error shout returns a string; addOnePrevious expects a number
    void shout.generate({ args: ["x"], callback });
  });

  it("checks an array chain item by item and collects every result", async () => {
    const chain = await add.generate({
      args: [1, 2],
      callback: [await addOnePrevious.defer().generate(), await printResult.defer().generate()],
    });
    expectTypeOf<FamilyResultOf<typeof chain>>().toEqualTypeOf<number | string>();
    const afterPrint = await printResult.defer().generate();
    const expectsNumber = await addOnePrevious.defer().generate();
    // @ts-expect-error printResult returns a string, which addOnePrevious does not accept
    void add.generate({ args: [1, 2], callback: [afterPrint, expectsNumber] });
  });

  it("checks generateMany's callbacks too, item by item", async () => {
    const expectsNumber = await addOnePrevious.defer().generate();
    const anything = await printResult.defer().generate();
    const messages = await add.generateMany([{ args: [1, 2], callback: expectsNumber }, { args: [3, 4] }]);
    expectTypeOf<FamilyResultOf<(typeof messages)[number]>>().toEqualTypeOf<number>();
    const mixed = await add.generateMany([{ args: [1, 2], callback: anything }]);
    expectTypeOf<FamilyResultOf<(typeof mixed)[number]>>().toEqualTypeOf<number | string>();
    // @ts-expect-error shout returns a string; addOnePrevious expects a number
    void shout.generateMany([{ args: ["x"] }, { args: ["y"], callback: expectsNumber }]);
  });

  it("carries nested chains into the root's family", async () => {
    const inner = await addOnePrevious.defer().generate({ callback: await printResult.defer().generate() });
    expectTypeOf<FamilyResultOf<typeof inner>>().toEqualTypeOf<number | string>();
    const root = await add.generate({ args: [1, 2], callback: inner });
    expectTypeOf<FamilyResultOf<typeof root>>().toEqualTypeOf<number | string>();
  });
});
