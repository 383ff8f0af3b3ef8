import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

// `@alsek/source` points sibling packages at their `src/index.ts`, so a test runs the sources of
// every package it imports and needs no rebuild of its dependencies.
const conditions = ["@alsek/source", ...defaultServerConditions];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    reporters: ["default", "./scripts/summary-reporter.ts"],
    include: ["packages/*/src/**/*.test.ts"],
    typecheck: {
      enabled: true,
      include: ["packages/*/src/**/*.test-d.ts"],
      tsconfig: "./tsconfig.test.json",
    },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    fileParallelism: true,
    maxWorkers: 2,
  },
});
