import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One worker's modules serve every file, instead of a fresh module graph per file.
    isolate: false,
    // The gate runs every package at once on two cores; a test's first call can wait seconds for CPU.
    testTimeout: 15_000,
    typecheck: {
      include: ["test/**/*.test-d.ts", "test/**/*.test-d.gen.ts"],
      tsconfig: "tsconfig.json",
    },
  },
});
