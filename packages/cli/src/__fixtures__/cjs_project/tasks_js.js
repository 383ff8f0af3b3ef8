const { task } = require("@alsek/core");
const { broker } = require("./broker.cjs");
const { record } = require("./record.cjs");

exports.cjs_js_thread = task(broker, { queue: "cjs_thread", mechanism: "thread" }, function cjs_js_thread() {
  record("cjs:js:thread");
});

exports.cjs_js_process = task(broker, { queue: "cjs_process", mechanism: "process" }, function cjs_js_process() {
  record("cjs:js:process");
});
