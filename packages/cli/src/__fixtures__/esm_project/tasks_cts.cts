import { task } from "@alsek/core";
import { broker } from "./broker.cjs";
import { record } from "./record.cjs";

export const esm_cts_thread = task(broker, { queue: "esm_thread", mechanism: "thread" }, function esm_cts_thread(): void {
  record("esm:cts:thread");
});

export const esm_cts_process = task(broker, { queue: "esm_process", mechanism: "process" }, function esm_cts_process(): void {
  record("esm:cts:process");
});
