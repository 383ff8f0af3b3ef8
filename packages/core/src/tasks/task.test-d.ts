import { describe, expectTypeOf, it } from "vitest";
import type { Broker } from "../broker/index.js";
import type { Message } from "../messages/index.js";
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
    expectTypeOf(add.generate({ args: [1, 2] })).toEqualTypeOf<Promise<Message>>();
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
