import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // A browser launch, a mock start or a program run: seconds, not the default 5 s, under load.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The files mostly wait on child processes (curl, programs) or Chromium (its own turbo task,
    // test:browser): two run beside each other even on two cores.
    maxWorkers: 2,
    // The files share no state, so the mock and the spec module load once per worker.
    isolate: false,
    // The built mock (Prism bundled in) is loaded by Node as it is, not transformed by Vite.
    server: { deps: { external: [/\/mock\/dist\//] } },
  },
});
