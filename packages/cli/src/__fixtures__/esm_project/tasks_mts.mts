import { task } from "@alsek/core";
import { broker } from "./broker.cjs";
import { record } from "./record.cjs";

export const esm_mts_thread = task(broker, { queue: "esm_thread", mechanism: "thread" }, function esm_mts_thread(): void {
  record("esm:mts:thread");
});

export const esm_mts_process = task(broker, { queue: "esm_process", mechanism: "process" }, function esm_mts_process(): void {
  record("esm:mts:process");
});
