import { task } from "@alsek/core";
import { broker } from "./broker.cjs";
import { record } from "./record.cjs";

export const cjs_mjs_thread = task(broker, { queue: "cjs_thread", mechanism: "thread" }, function cjs_mjs_thread() {
  record("cjs:mjs:thread");
});

export const cjs_mjs_process = task(broker, { queue: "cjs_process", mechanism: "process" }, function cjs_mjs_process() {
  record("cjs:mjs:process");
});
