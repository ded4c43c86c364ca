// Start-up of `pnpm mock`'s process: from spawn to the first 2xx for a valid request, stateful (the
// default) against --stateless to see what the sandbox adds, and where the module loading goes
// (each measured in a fresh process).
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { againstTarget, firstSuccess, freePort, median, startProcess } from "./support.mjs";

const runs = Number(process.env.BENCH_RUNS ?? 7);
const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const require = createRequire(import.meta.url);

async function startToFirstSuccess(args) {
  const port = await freePort();
  const started = performance.now();
  const server = startProcess(process.execPath, [cli, ...args], { MOCK_PORT: String(port) });
  const answered = await firstSuccess(`http://127.0.0.1:${port}`);
  await server.stop();
  return answered - started;
}

/** The phases of one start in a fresh process, each in ms since that process started. */
function phasesOnce(args) {
  const script = fileURLToPath(new URL("./phases.mjs", import.meta.url));
  return JSON.parse(execFileSync(process.execPath, [script, ...args], { encoding: "utf8" }));
}

/** Milliseconds a fresh `node` spends evaluating `code`. */
function loadTime(code) {
  const script = `const t = performance.now(); ${code}; console.log(performance.now() - t);`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    encoding: "utf8",
  });
  return Number(out.trim());
}

function row(label, samples, target) {
  const verdict =
    target === undefined ? "" : median(samples) < target ? "  (target met)" : "  (target MISSED)";
  console.log(
    `${label.padEnd(44)} median ${median(samples).toFixed(0).padStart(5)} ms  min ${Math.min(
      ...samples,
    )
      .toFixed(0)
      .padStart(5)}  max ${Math.max(...samples)
      .toFixed(0)
      .padStart(5)}${verdict}`,
  );
}

const prismHttp = require.resolve("@stoplight/prism-http");
const faker = createRequire(prismHttp).resolve("@faker-js/faker");
const requireOf = (path) =>
  `(await import("node:module")).createRequire(import.meta.url)(${JSON.stringify(path)})`;
const loads = {
  "for comparison: require @stoplight/prism-http": requireOf(prismHttp),
  "  of which @faker-js/faker alone": requireOf(faker),
};

console.log(`Mock start-up, ${runs} runs each (median, min, max)`);
const samples = { stateful: [], stateless: [], dynamic: [] };
const phaseSamples = {};
const loadSamples = Object.fromEntries(Object.keys(loads).map((label) => [label, []]));
for (let run = 0; run < runs; run += 1) {
  // Each goes first in every other run, so neither always meets a warmer disk cache.
  const pair = [
    ["stateful", []],
    ["stateless", ["--stateless"]],
  ];
  if (run % 2 === 1) pair.reverse();
  for (const [mode, args] of pair) samples[mode].push(await startToFirstSuccess(args));
  samples.dynamic.push(await startToFirstSuccess(["--dynamic", "--seed", "1"]));
  let previous = 0;
  for (const [phase, at] of Object.entries(phasesOnce([]))) {
    phaseSamples[phase] = [...(phaseSamples[phase] ?? []), at - previous];
    previous = at;
  }
  for (const [label, code] of Object.entries(loads)) loadSamples[label].push(loadTime(code));
}
row("spawn -> first 2xx (pnpm mock: stateful)", samples.stateful, 600);
row("spawn -> first 2xx (--stateless)", samples.stateless);
console.log(
  `stateful / stateless, medians: ${againstTarget(median(samples.stateful) / median(samples.stateless), { atMost: 1.1 })}`,
);
row("spawn -> first 2xx (--dynamic)", samples.dynamic);
console.log("where one start goes, in-process (each phase's own time):");
for (const [phase, values] of Object.entries(phaseSamples)) row(`  ${phase}`, values);
for (const [label, values] of Object.entries(loadSamples)) row(label, values);
