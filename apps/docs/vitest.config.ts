import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One browser launch plus a Prism start: seconds, not the default 5 s budget under load.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
