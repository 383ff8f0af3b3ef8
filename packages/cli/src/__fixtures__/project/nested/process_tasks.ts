import { task } from "@alsek/core";
import { record } from "../record.js";
import { broker } from "../singletons.js";

export const processRecord = task(broker, { queue: "proc", mechanism: "process" }, function processRecord(value: string) {
  record("done.txt", `proc:${value}:${process.pid}`);
});
