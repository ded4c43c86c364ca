import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The files share no state, only the modules they load: one worker's serve them all, instead
    // of a fresh module graph per file.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 40_000,
  },
});
