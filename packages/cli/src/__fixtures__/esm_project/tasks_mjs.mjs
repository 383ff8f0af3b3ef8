import { task } from "@alsek/core";
import { broker } from "./broker.cjs";
import { record } from "./record.cjs";

export const esm_mjs_thread = task(broker, { queue: "esm_thread", mechanism: "thread" }, function esm_mjs_thread() {
  record("esm:mjs:thread");
});

export const esm_mjs_process = task(broker, { queue: "esm_process", mechanism: "process" }, function esm_mjs_process() {
  record("esm:mjs:process");
});
