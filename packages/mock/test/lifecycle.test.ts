import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { startMock } from "../src/index.js";

// The happy path (a given port, one Prism, stop() leaving nothing) is in prism-findings.test.ts,
// which shares one mock across its tests to save a Prism start-up.
describe("startMock failures", () => {
  test("a Prism that cannot start is reported with its own output", async () => {
    const dir = await mkdtemp(join(tmpdir(), "loops-mock-test-"));
    const broken = join(dir, "broken.yaml");
    await writeFile(broken, "openapi: 3.1.0\ninfo: [unterminated\n");
    try {
      await expect(startMock({ contract: broken })).rejects.toThrow(
        /Prism exited before it answered[\s\S]*Error parsing/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("a port already taken is a clear error, before Prism is spawned", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const address = blocker.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    try {
      await expect(startMock({ port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
