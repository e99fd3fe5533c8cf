import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * Runs the fuzz folder on its own until the root config's `unit` project includes it:
 * `npx vitest run -c tests/fuzz/vitest.config.ts` (FUZZ_RUNS=10000 for the long run).
 */
export default defineConfig({
  root: fileURLToPath(new URL("../../", import.meta.url)),
  test: {
    name: "fuzz",
    include: ["tests/fuzz/**/*.test.ts"],
    environment: "node",
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
