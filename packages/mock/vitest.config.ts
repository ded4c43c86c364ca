import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The built mock (Prism bundled in) is what ships: Node loads it as it is, not Vite; the
    // built spec module too, so that the tests and the mock share one copy of it.
    server: { deps: { external: [/\/mock\/dist\//, /\/spec\/dist\//] } },
    // Each file starts its own mock and stops it: one worker's modules (Prism bundled in) serve
    // them all, instead of a fresh module graph per file.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
