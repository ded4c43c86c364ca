import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One browser launch plus a Prism start: seconds, not the default 5 s budget under load.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The browser test mostly waits on Chromium: the other files run beside it even on two cores,
    // where the default would run them one after the other.
    maxWorkers: 2,
    // The files share no state, so the mock and the spec module load once per worker.
    isolate: false,
  },
});
