import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Each file starts its own Prism; starting them side by side halves the wall time.
    fileParallelism: true,
    testTimeout: 30_000,
    hookTimeout: 40_000,
  },
});
