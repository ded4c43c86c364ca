import { defineConfig } from "vitest/config";

// A real team may make 10 requests per second: against one, requests go one at a time.
const againstRealServer = Boolean(process.env.CONTRACT_BASE_URL);

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // Threads start faster than forks; the files share one mock and nothing else.
    pool: "threads",
    // Every test is one or a few requests that share nothing: they run concurrently within a file.
    sequence: { concurrent: !againstRealServer },
    maxConcurrency: againstRealServer ? 1 : 16,
    fileParallelism: !againstRealServer,
    testTimeout: 20_000,
    hookTimeout: 40_000,
  },
});
