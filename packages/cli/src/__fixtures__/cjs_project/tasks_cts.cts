import { task } from "@alsek/core";
import { broker } from "./broker.cjs";
import { record } from "./record.cjs";

export const cjs_cts_thread = task(broker, { queue: "cjs_thread", mechanism: "thread" }, function cjs_cts_thread(): void {
  record("cjs:cts:thread");
});

export const cjs_cts_process = task(broker, { queue: "cjs_process", mechanism: "process" }, function cjs_cts_process(): void {
  record("cjs:cts:process");
});
