import { task } from "@alsek/core";
import { broker } from "./broker.cjs";
import { record } from "./record.cjs";

export const esm_js_thread = task(broker, { queue: "esm_thread", mechanism: "thread" }, function esm_js_thread() {
  record("esm:js:thread");
});

export const esm_js_process = task(broker, { queue: "esm_process", mechanism: "process" }, function esm_js_process() {
  record("esm:js:process");
});
