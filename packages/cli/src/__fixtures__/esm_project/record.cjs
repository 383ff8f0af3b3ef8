// Tasks report that they ran by appending a line to done.txt in the test's scratch directory.
const { appendFileSync } = require("node:fs");
const { join } = require("node:path");

exports.record = function record(line) {
  const dir = process.env.ALSEK_CLI_TEST_DIR;
  if (!dir) throw new Error("ALSEK_CLI_TEST_DIR is not set");
  appendFileSync(join(dir, "done.txt"), `${line}\n`);
};
