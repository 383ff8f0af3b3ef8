// What `changeset version` would do, computed with the same library `changeset status` uses, on a
// copy of the workspace's manifests and changesets (no git needed, nothing in the repository is
// touched). Guards against a version bump nobody asked for, such as the 1.0.0 that a private
// package's `workspace:^` peer dependency once forced on every public package.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import getReleasePlanModule from "@changesets/get-release-plan";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
// The package is CommonJS with its function as `default`; interop wraps it once more.
const getReleasePlan = ((getReleasePlanModule as unknown as { default?: typeof getReleasePlanModule }).default ??
  getReleasePlanModule) as typeof getReleasePlanModule;

type BumpType = "major" | "minor" | "patch" | "none";

interface Manifest {
  name: string;
  private?: boolean;
}

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** The workspace's manifests and `.changeset/` in a temp dir, plus `extra` changesets. */
function copyWorkspace(extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "alsek-release-plan-"));
  scratch.push(dir);
  for (const file of ["package.json", "pnpm-workspace.yaml"]) cpSync(join(ROOT, file), join(dir, file));
  for (const group of ["packages", "examples"]) {
    for (const entry of readdirSync(join(ROOT, group), { withFileTypes: true })) {
      const manifest = join(ROOT, group, entry.name, "package.json");
      if (!entry.isDirectory() || !existsSync(manifest)) continue;
      mkdirSync(join(dir, group, entry.name), { recursive: true });
      cpSync(manifest, join(dir, group, entry.name, "package.json"));
    }
  }
  cpSync(join(ROOT, ".changeset"), join(dir, ".changeset"), { recursive: true });
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, ".changeset", `${name}.md`), text);
  return dir;
}

function workspaceManifests(): Manifest[] {
  return ["packages", "examples"].flatMap((group) =>
    readdirSync(join(ROOT, group))
      .map((name) => join(ROOT, group, name, "package.json"))
      .filter((file) => existsSync(file))
      .map((file) => JSON.parse(readFileSync(file, "utf8")) as Manifest),
  );
}

const publicNames = workspaceManifests()
  .filter((m) => m.private !== true)
  .map((m) => m.name)
  .sort();

describe("release plan (what `changeset version` would bump)", () => {
  it("bumps no package to a new major unless a pending changeset asks for a major", async () => {
    const plan = await getReleasePlan(copyWorkspace());
    const askedForMajor = plan.changesets.some((changeset) => changeset.releases.some((r) => r.type === "major"));
    const majors = plan.releases.filter((r) => r.type === "major").map((r) => r.name);
    expect(askedForMajor ? [] : majors).toEqual([]);
  });

  it("turns one minor changeset into a minor of every public package and versions no private one", async () => {
    const dir = copyWorkspace({
      "zz-release-plan-probe": '---\n"@alsek/core": minor\n---\n\nProbe changeset of release-plan.test.ts.\n',
    });
    // Only the probe: the pending changesets may legitimately ask for other bumps.
    for (const file of readdirSync(join(dir, ".changeset"))) {
      if (file.endsWith(".md") && file !== "zz-release-plan-probe.md") rmSync(join(dir, ".changeset", file));
    }
    const plan = await getReleasePlan(dir);
    const bumps = new Map<string, BumpType>(plan.releases.map((r) => [r.name, r.type]));
    expect(publicNames.length).toBeGreaterThan(0);
    expect(Object.fromEntries(publicNames.map((name) => [name, bumps.get(name)]))).toEqual(
      Object.fromEntries(publicNames.map((name) => [name, "minor"])),
    );
    const privateBumped = plan.releases.filter((r) => !publicNames.includes(r.name) && r.type !== "none");
    expect(privateBumped.map((r) => r.name)).toEqual([]);
  });
});
