import { readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { expect, it } from "vitest";
import { ASSET_NAMES } from "./static-assets.js";

const ASSET_DIR = new URL("../../assets/", import.meta.url);
const BUDGET_BYTES = 150 * 1024;

it("ships every asset in the package, within 150 KB gzipped in total", () => {
  const files = readdirSync(ASSET_DIR);
  expect(files.toSorted()).toEqual([...ASSET_NAMES].toSorted());
  const total = files.reduce((sum, name) => sum + gzipSync(readFileSync(new URL(name, ASSET_DIR)), { level: 9 }).length, 0);
  expect(total).toBeGreaterThan(0);
  expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
});

it("loads nothing from another origin (works offline)", () => {
  for (const name of ASSET_NAMES) {
    const text = readFileSync(new URL(name, ASSET_DIR), "utf8");
    expect(text, name).not.toMatch(/https?:\/\//);
    expect(text, name).not.toMatch(/@import|url\(/);
  }
});
