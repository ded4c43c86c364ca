import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The linters and redocly diff run as processes: seconds each when the gate loads both cores.
    testTimeout: 60_000,
    // The files only read the bundle and their own scratch folders: one worker's modules serve
    // them all, instead of a fresh module graph per file.
    isolate: false,
  },
});
