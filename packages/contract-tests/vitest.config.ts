import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // Threads start faster than forks; the files share one mock and nothing else.
    pool: "threads",
    testTimeout: 20_000,
    hookTimeout: 40_000,
  },
});
