// Tasks report what they did by appending to a file of the test's scratch directory: that works
// from any thread or process the pools run them in.
import { appendFileSync } from "node:fs";
import { join } from "node:path";

/** Append `line` to `file` in `ALSEK_CLI_TEST_DIR`. */
export function record(file: string, line: string): void {
  const dir = process.env.ALSEK_CLI_TEST_DIR;
  if (!dir) throw new Error("ALSEK_CLI_TEST_DIR is not set");
  appendFileSync(join(dir, file), `${line}\n`);
}
