#!/usr/bin/env node
// The `alsek` command. The code lives in the compiled `../dist/bin.js` (source: `src/bin.ts`);
// this shim is committed so that the binary exists before any build.
import "../dist/bin.js";
