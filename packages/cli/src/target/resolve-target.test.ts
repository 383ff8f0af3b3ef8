import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { TargetNotFoundError } from "../errors/index.js";
import { resolveTarget } from "./resolve-target.js";

const fixtures = fileURLToPath(new URL("../__fixtures__/", import.meta.url));
const project = join(fixtures, "project");

describe("resolveTarget", () => {
  it("finds a module file with or without its extension", async () => {
    const expected = { kind: "module", modules: [join(project, "my_tasks.ts")] };
    expect(await resolveTarget("project/my_tasks", fixtures)).toMatchObject(expected);
    expect(await resolveTarget("project/my_tasks.ts", fixtures)).toMatchObject(expected);
    expect(await resolveTarget(join(project, "my_tasks.ts"), "/")).toMatchObject(expected);
  });

  it("finds a JavaScript module by extension or by dotted path", async () => {
    const expected = { kind: "module", modules: [join(fixtures, "errors", "process_tasks.js")] };
    expect(await resolveTarget("errors/process_tasks.js", fixtures)).toMatchObject(expected);
    expect(await resolveTarget("errors.process_tasks", fixtures)).toMatchObject(expected);
  });

  it("maps a dotted path onto folders", async () => {
    expect(await resolveTarget("project.nested.process_tasks", fixtures)).toMatchObject({
      kind: "module",
      modules: [join(project, "nested", "process_tasks.ts")],
    });
  });

  it("scans a folder recursively, skipping tests, __tests__ and declaration files", async () => {
    const target = await resolveTarget("project", fixtures);
    expect(target.kind).toBe("folder");
    expect(target.modules).toEqual(
      ["my_tasks.ts", "nested/process_tasks.ts", "record.ts", "singletons.ts"].map((file) => join(project, file)),
    );
  });

  it("reports a missing target with every path it tried", async () => {
    const error = await resolveTarget("nowhere.tasks", fixtures).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TargetNotFoundError);
    expect((error as Error).message).toContain(join(fixtures, "nowhere", "tasks.ts"));
    expect((error as Error).message).toContain(join(fixtures, "nowhere.tasks.js"));
  });
});
