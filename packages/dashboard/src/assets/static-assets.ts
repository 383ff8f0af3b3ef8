import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

/** One file the pages load, served from memory. */
export interface StaticAsset {
  body: Uint8Array;
  contentType: string;
}

// `src/assets/` and `dist/assets/` sit at the same depth, so this finds the package's `assets/`.
const ASSET_DIR = new URL("../../assets/", import.meta.url);
const TYPES: Record<string, string> = {
  "dashboard.js": "text/javascript; charset=utf-8",
  "dashboard.css": "text/css; charset=utf-8",
};

/** Names of the files under `assets/` that the dashboard serves. */
export const ASSET_NAMES: readonly string[] = Object.keys(TYPES);

/** The dashboard's script and stylesheet, read once, with a content hash for cache busting. */
export class StaticAssets {
  readonly version: string;
  #files = new Map<string, StaticAsset>();

  constructor() {
    const hash = createHash("sha256");
    for (const [name, contentType] of Object.entries(TYPES)) {
      const body = readFileSync(new URL(name, ASSET_DIR));
      hash.update(body);
      this.#files.set(name, { body, contentType });
    }
    this.version = hash.digest("hex").slice(0, 12);
  }

  /** The asset of that name, or `undefined`. */
  get(name: string): StaticAsset | undefined {
    return this.#files.get(name);
  }
}
