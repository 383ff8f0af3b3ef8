const { task } = require("@alsek/core");
const { broker } = require("./broker.cjs");
const { record } = require("./record.cjs");

exports.esm_cjs_thread = task(broker, { queue: "esm_thread", mechanism: "thread" }, function esm_cjs_thread() {
  record("esm:cjs:thread");
});

exports.esm_cjs_process = task(broker, { queue: "esm_process", mechanism: "process" }, function esm_cjs_process() {
  record("esm:cjs:process");
});
