const { task } = require("@alsek/core");
const { broker } = require("./broker.cjs");
const { record } = require("./record.cjs");

exports.cjs_cjs_thread = task(broker, { queue: "cjs_thread", mechanism: "thread" }, function cjs_cjs_thread() {
  record("cjs:cjs:thread");
});

exports.cjs_cjs_process = task(broker, { queue: "cjs_process", mechanism: "process" }, function cjs_cjs_process() {
  record("cjs:cjs:process");
});
