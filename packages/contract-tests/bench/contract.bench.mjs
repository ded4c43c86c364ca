// Figures for the contract suite: mock start-up, the suite's wall time, and requests per second
// through the client against the mock.
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { createLoopsClient } from "@loops-contract/client";
import { startMock } from "@loops-contract/mock";

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const startups = [];
for (let run = 0; run < 3; run += 1) {
  const started = performance.now();
  const mock = await startMock();
  startups.push(performance.now() - started);
  await mock.stop();
}
console.log(
  `mock start-up: median ${median(startups).toFixed(0)} ms of 3 (${startups.map((ms) => ms.toFixed(0)).join(", ")})`,
);

const suiteStarted = performance.now();
const suite = spawnSync(process.execPath, ["node_modules/vitest/vitest.mjs", "run"], {
  cwd: new URL("..", import.meta.url),
  encoding: "utf8",
  env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
});
const suiteMs = performance.now() - suiteStarted;
if (suite.status !== 0) {
  console.error(suite.stdout, suite.stderr);
  throw new Error("The contract suite failed");
}
const tests = suite.stdout.match(/Tests\s+(\d+) passed/)?.[1] ?? "?";
console.log(
  `contract suite: ${(suiteMs / 1000).toFixed(2)} s wall, ${tests} tests, mock start included (target < 10 s)`,
);

const mock = await startMock();
try {
  const client = createLoopsClient({ apiKey: "bench-key", baseUrl: mock.url });
  const body = {
    name: "Spring announcement",
    audienceSegmentId: "clr4c8t0v008yl70x3y4z5a6b",
    scheduling: { method: "schedule", timestamp: "2030-04-01T09:00:00.000Z" },
  };
  for (let warm = 0; warm < 50; warm += 1) await client.campaigns.create(body);
  for (const parallel of [1, 16]) {
    const total = 1000;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (next < total) {
          next += 1;
          await client.campaigns.create(body);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `client → mock: ${(total / seconds).toFixed(0)} requests/s, ${parallel} in flight, ${total} creates`,
    );
  }
} finally {
  await mock.stop();
}
