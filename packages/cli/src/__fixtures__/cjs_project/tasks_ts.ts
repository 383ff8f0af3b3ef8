import { task } from "@alsek/core";
import { broker } from "./broker.cjs";
import { record } from "./record.cjs";

export const cjs_ts_thread = task(broker, { queue: "cjs_thread", mechanism: "thread" }, function cjs_ts_thread(): void {
  record("cjs:ts:thread");
});

export const cjs_ts_process = task(broker, { queue: "cjs_process", mechanism: "process" }, function cjs_ts_process(): void {
  record("cjs:ts:process");
});
