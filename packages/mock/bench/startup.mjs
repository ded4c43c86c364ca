// Start-up time of the mock: from startMock() to the first answer, and stop() until Prism is gone.
import { performance } from "node:perf_hooks";
import { startMock } from "../dist/index.js";

const runs = Number(process.env.BENCH_RUNS ?? 5);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

for (const mode of [{ dynamic: false }, { dynamic: true, seed: 1 }]) {
  const starts = [];
  const stops = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    const mock = await startMock(mode);
    starts.push(performance.now() - started);
    const stopping = performance.now();
    await mock.stop();
    stops.push(performance.now() - stopping);
  }
  const label = mode.dynamic ? "dynamic" : "static ";
  console.log(
    `mock ${label}: start-up median ${median(starts).toFixed(0)} ms (min ${Math.min(...starts).toFixed(0)}, max ${Math.max(...starts).toFixed(0)}), stop median ${median(stops).toFixed(0)} ms, ${runs} runs`,
  );
}
