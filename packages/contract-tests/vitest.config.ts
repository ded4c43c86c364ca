import { defineConfig } from "vitest/config";

// A real team may make 10 requests per second: against one, requests go one at a time.
const againstRealServer = Boolean(process.env.CONTRACT_BASE_URL);

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // Threads start faster than forks; the files share one mock and nothing else.
    pool: "threads",
    // One worker's modules (the contract, its compiled validators, the client) serve every file,
    // instead of a fresh module graph per file.
    isolate: false,
    // The built mock (Prism bundled in) is loaded by Node as it is, not transformed by Vite.
    server: { deps: { external: [/\/mock\/dist\//] } },
    // Every test is one or a few requests that share nothing: they run concurrently within a file.
    sequence: { concurrent: !againstRealServer },
    maxConcurrency: againstRealServer ? 1 : 16,
    fileParallelism: !againstRealServer,
    testTimeout: 20_000,
    hookTimeout: 40_000,
  },
});
