import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    // Packing and installing; npm's downloads on a cold cache.
    hookTimeout: 180_000,
  },
});
