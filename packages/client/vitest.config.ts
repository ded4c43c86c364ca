import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    typecheck: {
      include: ["test/**/*.test-d.ts", "test/**/*.test-d.gen.ts"],
      tsconfig: "tsconfig.json",
    },
  },
});
