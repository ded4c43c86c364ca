import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The linters and redocly diff run as processes: seconds each when the gate loads both cores.
    testTimeout: 60_000,
  },
});
