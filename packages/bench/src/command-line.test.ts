import { parseArgs } from "node:util";
import { expect, it } from "vitest";
import { benchArguments } from "./command-line.js";

it("accepts the `--` that `pnpm run bench -- --quick` passes before the bench's options", () => {
  const { values } = parseArgs({
    args: benchArguments(["--", "--quick", "--only", "enqueue"]),
    options: { quick: { type: "boolean" }, only: { type: "string", multiple: true } },
    allowPositionals: false,
  });
  expect(values).toEqual({ quick: true, only: ["enqueue"] });
  expect(benchArguments(["--quick"])).toEqual(["--quick"]);
});
