// The workflow example (examples/workflow.ts), run as a reader runs it, against the Prism mock:
// every step must go through, since the mock answers anything that breaks the contract with a 4xx.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type RunningMock, startMock } from "@loops-contract/mock";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const docsDir = fileURLToPath(new URL("../", import.meta.url));

describe("the workflow example", () => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startMock();
  });
  afterAll(async () => {
    await mock?.stop();
  });

  test("runs every step against the mock, from a new draft to reading the scheduled campaign back", async ({
    signal,
  }) => {
    // tsx's documented way to run TypeScript on Node 20: `node --import tsx file.ts`.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "examples/workflow.ts"],
      {
        cwd: docsDir,
        env: {
          ...process.env,
          LOOPS_BASE_URL: mock.url,
          LOOPS_API_KEY: "test-api-key",
          LOOPS_PREVIEW_TO: "preview@example.com",
        },
        timeout: 30_000,
        // Killed if the test times out first: the example must not outlive it.
        signal,
      },
    );
    const steps = stdout.split("\n").filter((line) => /^\d\. /.test(line));
    expect(steps.map((line) => line.slice(0, 2))).toEqual([
      "1.",
      "2.",
      "3.",
      "4.",
      "5.",
      "6.",
      "7.",
    ]);
    const scheduledFor = /scheduled it for (\S+)/.exec(stdout)?.[1] ?? "";
    expect(Date.parse(scheduledFor)).toBeGreaterThan(Date.now());
  });
});
