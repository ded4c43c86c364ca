import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The files share no state, only the modules they load: one worker's serve them all, instead
    // of a fresh module graph per file.
    isolate: false,
    // The built mock (Prism bundled in) is loaded by Node as it is, not transformed by Vite.
    server: { deps: { external: [/\/mock\/dist\//] } },
    testTimeout: 30_000,
    hookTimeout: 40_000,
  },
});
