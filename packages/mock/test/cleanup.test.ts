// A process test that fails must not leave its mock running: the fixture starts the CLI through
// the same helper as process.test.ts and fails an assertion while it serves, in a vitest run of
// its own; once that run is over, the process must be gone and its port free.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, test } from "vitest";
import { portIsFree } from "./support/cli.js";

const mockDir = fileURLToPath(new URL("../", import.meta.url));

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

test("a failing test stops the CLI it started: no process left, the port free", async ({
  signal,
}) => {
  const workDir = mkdtempSync(join(tmpdir(), "mock-cleanup-"));
  const recordFile = join(workDir, "started.json");
  try {
    const outcome = await promisify(execFile)(
      process.execPath,
      ["node_modules/vitest/vitest.mjs", "run", "--config", "test/fixtures/vitest.config.ts"],
      { cwd: mockDir, env: { ...process.env, CLEANUP_RECORD: recordFile }, signal },
    ).then(
      () => ({ code: 0, stdout: "", stderr: "" }),
      (error: { code?: number; stdout: string; stderr: string }) => error,
    );
    const report = `${outcome.stdout}${outcome.stderr}`;
    // It failed where the fixture fails, with the CLI serving, not for some other reason.
    expect(outcome.code, report).toBe(1);
    expect(report).toContain("the failure this fixture exists for");
    const { pid, port } = JSON.parse(readFileSync(recordFile, "utf8")) as {
      pid: number;
      port: number;
    };
    expect(alive(pid), `pid ${pid}`).toBe(false);
    expect(await portIsFree(port)).toBe(true);
  } finally {
    // Should the cleanup under test fail, this test still leaves nothing behind.
    if (existsSync(recordFile)) {
      const { pid } = JSON.parse(readFileSync(recordFile, "utf8")) as { pid: number };
      if (alive(pid)) process.kill(pid, "SIGKILL");
    }
    rmSync(workDir, { recursive: true, force: true });
  }
});
