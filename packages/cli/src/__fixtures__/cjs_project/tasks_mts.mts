import { task } from "@alsek/core";
import { broker } from "./broker.cjs";
import { record } from "./record.cjs";

export const cjs_mts_thread = task(broker, { queue: "cjs_thread", mechanism: "thread" }, function cjs_mts_thread(): void {
  record("cjs:mts:thread");
});

export const cjs_mts_process = task(broker, { queue: "cjs_process", mechanism: "process" }, function cjs_mts_process(): void {
  record("cjs:mts:process");
});
