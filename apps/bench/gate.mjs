// `pnpm bench`: the wall time of the whole gate, cold (turbo cache off, dependencies installed)
// and replayed from cache, then each package's own `bench` script, one at a time so they don't
// compete for the two cores.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { performance } from "node:perf_hooks";

const root = new URL("../../", import.meta.url);
// tsc -b keeps its own incremental state next to each project: cold means without it too.
const typecheckState = ["spec", "packages/mock", "apps/docs", "packages/contract-tests"].map(
  (project) => new URL(`${project}/tsconfig.tsbuildinfo`, root),
);
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", REDOCLY_TELEMETRY: "off" };

function timed(label, args, extraEnv = {}) {
  const started = performance.now();
  execFileSync("pnpm", args, { cwd: root, stdio: "ignore", env: { ...env, ...extraEnv } });
  const seconds = (performance.now() - started) / 1000;
  console.log(`${label.padEnd(34)} ${seconds.toFixed(2).padStart(7)} s`);
  return seconds;
}

console.log("Contract gate (`pnpm test`)");
for (const state of typecheckState) rmSync(state, { force: true });
const cold = timed("cold (TURBO_FORCE, cache off)", ["test"], { TURBO_FORCE: "true" });
const cached = timed("cached rerun, nothing changed", ["test"]);
console.log(
  `targets: cold < 20 s ${cold < 20 ? "met" : "MISSED"}, cached < 1 s ${cached < 1 ? "met" : "MISSED"}\n`,
);

execFileSync("pnpm", ["turbo", "run", "bench", "--concurrency=1"], {
  cwd: root,
  stdio: "inherit",
  env,
});
