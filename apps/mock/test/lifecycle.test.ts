import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { startMock } from "../src/index.js";

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function prismPids(prismUrl: string): number[] {
  const port = new URL(prismUrl).port;
  const out = execFileSync("pgrep", ["-f", `prism-cli/dist/index.js mock .* --port ${port} `], {
    encoding: "utf8",
  }).trim();
  return out.split("\n").map(Number);
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return typeof address === "object" && address !== null ? address.port : 0;
}

async function portIsFree(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

describe("startMock", () => {
  test("answers on the port it is given once it resolves, and stop() leaves nothing behind", async () => {
    const port = await freePort();
    const mock = await startMock({ port });
    expect(mock.url).toBe(`http://127.0.0.1:${port}`);
    const pids = prismPids(mock.prismUrl);
    expect(pids).toHaveLength(1);

    const response = await fetch(`${mock.url}/v1/campaigns`, {
      method: "POST",
      headers: { authorization: "Bearer test", "content-type": "application/json" },
      body: JSON.stringify({ name: "Spring announcement" }),
    });
    expect(response.status).toBe(201);

    await mock.stop();
    for (const pid of pids) expect(processExists(pid)).toBe(false);
    expect(await portIsFree(mock.port)).toBe(true);
    expect(await portIsFree(Number(new URL(mock.prismUrl).port))).toBe(true);
    // A second stop() is harmless.
    await mock.stop();
  });

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

  test("a port already taken is a clear error", async () => {
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
