// Figures for the contract suite: mock start-up, the suite's wall time, and requests per second
// through the client's generated methods against the mock, over every operation of the contract.
// tinybench times the repeated measurements; the suite runs once (one child process, run to the end).
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { createLoopsClient } from "@loops-contract/client";
import { operations } from "@loops-contract/spec";
import { Bench } from "tinybench";

// Loading the mock (Prism and its dependencies) is paid once per process, before any start.
const importStarted = performance.now();
const { startMock } = await import("@loops-contract/mock");
console.log(
  `mock module load: ${(performance.now() - importStarted).toFixed(0)} ms, once per process`,
);

const startup = new Bench({ iterations: 3, time: 0, warmup: false, throws: true });
startup.add("mock start and stop", async () => {
  const mock = await startMock();
  await mock.stop();
});
await startup.run();
const startupResult = startup.getTask("mock start and stop")?.result;
if (startupResult?.state !== "completed")
  throw new Error("The mock start-up bench did not complete");
console.log(
  `mock start and stop: median ${startupResult.latency.p50.toFixed(0)} ms of ${startupResult.latency.samplesCount}`,
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
  `contract suite: ${(suiteMs / 1000).toFixed(2)} s wall, ${tests} tests, mock start included`,
);

// Stateless, as the suite's own mock: each call replays an operation's example, and a sandbox that
// remembers would rightly refuse the repeats (a message whose campaign was scheduled is locked).
const mock = await startMock({ stateless: true });
try {
  const client = createLoopsClient({ apiKey: "bench-key", baseUrl: mock.url, maxRetries: 0 });
  // Each operation the client has a method for, called with its first example and example ids.
  const calls = operations.flatMap((operation) => {
    const namespace = client[operation.sdkMethod.namespace];
    const method = namespace?.[operation.sdkMethod.name];
    if (typeof method !== "function") return [];
    const args = operation.pathParameters.map(
      (parameter) => parameter.schema.examples?.[0] ?? "cm0bench",
    );
    if (operation.requestBody) args.push(operation.requestBody.examples[0]?.value);
    return [() => method.apply(namespace, args)];
  });
  // One iteration: a round of `perRound` calls cycling over the operations, `parallel` in flight.
  const perRound = 160;
  const round = async (parallel) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (next < perRound) {
          const call = calls[next % calls.length];
          next += 1;
          await call();
        }
      }),
    );
  };
  const throughput = new Bench({ time: 3_000, warmupTime: 300, throws: true });
  for (const parallel of [1, 16]) throughput.add(`${parallel} in flight`, () => round(parallel));
  await throughput.run();
  for (const task of throughput.tasks) {
    const { result } = task;
    if (result?.state !== "completed") throw new Error(`${task.name}: ${result?.state}`);
    const perSecond = perRound / (result.latency.p50 / 1000);
    console.log(
      `client → stateless mock: ${perSecond.toFixed(0)} requests/s, ${task.name}, over ${calls.length} operations (median of ${result.latency.samplesCount} rounds of ${perRound})`,
    );
  }
} finally {
  await mock.stop();
}
