import { task } from "@alsek/core";
import { broker } from "./broker.cjs";
import { record } from "./record.cjs";

export const esm_ts_thread = task(broker, { queue: "esm_thread", mechanism: "thread" }, function esm_ts_thread(): void {
  record("esm:ts:thread");
});

export const esm_ts_process = task(broker, { queue: "esm_process", mechanism: "process" }, function esm_ts_process(): void {
  record("esm:ts:process");
});
