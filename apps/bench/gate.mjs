// `pnpm bench [--runs N] [--gate-only]`: where the gate's time goes, then each package's own
// `bench`. It prints figures and never judges them: targets live in the README.
//
// - cold `pnpm test` (turbo cache and tsc's incremental state off), N times, with each turbo
//   task's wall time from turbo's run summary and its CPU time from GNU time wrapped around the
//   task's package script (pnpm's `script-shell`), children included;
// - the cached rerun, nothing changed;
// - the rerun after a change to one client source file.
// It restores what it touches: the edited source file, turbo's run summaries, its temporary files.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";

const { values: options } = parseArgs({
  options: {
    runs: { type: "string", default: process.env.BENCH_RUNS ?? "5" },
    "gate-only": { type: "boolean", default: false },
  },
});
const runs = Math.max(1, Number.parseInt(options.runs, 10) || 5);

const root = new URL("../../", import.meta.url).pathname;
const rootPackage = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).name;
const summariesDir = join(root, ".turbo/runs");
const editedFile = join(root, "packages/client/src/index.ts");
const gnuTime = "/usr/bin/time";
const scratch = mkdtempSync(join(tmpdir(), "gate-bench-"));
const taskLog = join(scratch, "tasks.log");
const scriptShell = join(scratch, "script-shell.sh");
const editedOriginal = readFileSync(editedFile, "utf8");

// GNU time reports each package script's CPU with its children's; pnpm runs every script
// through this shell. Loose env mode lets turbo hand the two variables to the tasks.
const measuresCpu = existsSync(gnuTime);
writeFileSync(
  scriptShell,
  `#!/bin/sh\nexec ${gnuTime} -q -a -o "$GATE_BENCH_TASK_LOG" -f "$npm_package_name#$npm_lifecycle_event %e %U %S" /bin/sh "$@"\n`,
  { mode: 0o755 },
);
const env = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: "1",
  REDOCLY_TELEMETRY: "off",
  TURBO_RUN_SUMMARY: "true",
  ...(measuresCpu && {
    TURBO_ENV_MODE: "loose",
    pnpm_config_script_shell: scriptShell,
    GATE_BENCH_TASK_LOG: taskLog,
  }),
};

function restore() {
  writeFileSync(editedFile, editedOriginal);
  rmSync(scratch, { recursive: true, force: true });
}
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    restore();
    process.exit(130);
  });
}

/** tsc -b's state beside each project, and the one vitest's type tests keep inside vitest. */
function removeTypecheckState() {
  for (const dir of ["spec", ...["packages", "apps"].flatMap(workspaceDirs)]) {
    for (const file of readdirSync(join(root, dir))) {
      if (file.endsWith(".tsbuildinfo")) rmSync(join(root, dir, file));
    }
  }
  const requireFromClient = createRequire(join(root, "packages/client/package.json"));
  const vitestDist = join(requireFromClient.resolve("vitest"), "..", "dist");
  rmSync(join(vitestDist, "tsconfig.tmp.tsbuildinfo"), { force: true });
}

function workspaceDirs(parent) {
  return readdirSync(join(root, parent), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `${parent}/${entry.name}`);
}

function summaries() {
  return existsSync(summariesDir) ? new Set(readdirSync(summariesDir)) : new Set();
}

/** One `pnpm test`: its wall time, and per task its wall (turbo) and CPU (GNU time) seconds. */
function gate(extraEnv = {}) {
  const before = summaries();
  rmSync(taskLog, { force: true });
  const started = performance.now();
  try {
    execFileSync("pnpm", ["test"], {
      cwd: root,
      env: { ...env, ...extraEnv },
      stdio: "pipe",
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch (error) {
    console.error(
      `pnpm test failed, so there are no figures:\n${String(error.stdout).slice(-4000)}`,
    );
    for (const file of summaries()) if (!before.has(file)) rmSync(join(summariesDir, file));
    restore();
    process.exit(1);
  }
  const wall = (performance.now() - started) / 1000;

  const tasks = new Map();
  for (const file of summaries()) {
    if (before.has(file)) continue;
    const summary = JSON.parse(readFileSync(join(summariesDir, file), "utf8"));
    rmSync(join(summariesDir, file));
    const runStart = summary.execution.startTime;
    for (const task of summary.tasks) {
      const { startTime, endTime } = task.execution ?? {};
      if (startTime === undefined) continue;
      tasks.set(task.taskId.replace(/^\/\/#/, `${rootPackage}#`), {
        start: (startTime - runStart) / 1000,
        wall: (endTime - startTime) / 1000,
        cached: task.cache?.status === "HIT",
        cpu: undefined,
      });
    }
  }
  let cpu;
  if (measuresCpu && existsSync(taskLog)) {
    for (const line of readFileSync(taskLog, "utf8").trim().split("\n")) {
      const [id, , user, system] = line.split(" ");
      const seconds = Number(user) + Number(system);
      if (id === `${rootPackage}#test`) cpu = seconds;
      const task = tasks.get(id);
      if (task) task.cpu = (task.cpu ?? 0) + seconds;
    }
  }
  return { wall, cpu, tasks };
}

const median = (values) => {
  const sorted = values.filter((value) => value !== undefined).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const seconds = (value) => (value === undefined ? "-" : value.toFixed(2)).padStart(8);
const spread = (values) =>
  `${Math.min(...values).toFixed(2)} to ${Math.max(...values).toFixed(2)} s`;

function report(label, results) {
  const walls = results.map((result) => result.wall);
  const cpus = results.map((result) => result.cpu);
  const cpu = median(cpus);
  console.log(
    `${label.padEnd(44)} ${seconds(median(walls))} s wall (${spread(walls)})` +
      (cpu === undefined ? "" : `, ${cpu.toFixed(1)} CPU-s`),
  );
}

function taskTable(results) {
  const ids = [...new Set(results.flatMap((result) => [...result.tasks.keys()]))].sort();
  console.log(`  ${"task".padEnd(42)}    start      end     wall      CPU   (medians, s)`);
  const rows = ids.map((id) => {
    const of = (key) => median(results.map((result) => result.tasks.get(id)?.[key]));
    const start = of("start");
    const wall = of("wall");
    return { id, start, end: start + wall, wall, cpu: of("cpu") };
  });
  for (const row of rows.sort((a, b) => a.end - b.end)) {
    console.log(
      `  ${row.id.padEnd(42)} ${seconds(row.start)} ${seconds(row.end)} ${seconds(row.wall)} ${seconds(row.cpu)}`,
    );
  }
  const taskCpu = rows.reduce((sum, row) => sum + (row.cpu ?? 0), 0);
  if (measuresCpu)
    console.log(`  ${"sum of the tasks' CPU".padEnd(42)} ${" ".repeat(26)} ${seconds(taskCpu)}`);
}

function ranTasks(tasks) {
  return new Map([...tasks].filter(([, task]) => !task.cached));
}

function operationCount() {
  const bundle = JSON.parse(readFileSync(join(root, "spec/dist/openapi.json"), "utf8"));
  const methods = new Set(["get", "put", "post", "delete", "patch", "options", "head", "trace"]);
  return Object.values(bundle.paths ?? {}).reduce(
    (count, pathItem) => count + Object.keys(pathItem).filter((key) => methods.has(key)).length,
    0,
  );
}

try {
  if (!measuresCpu) console.log(`${gnuTime} not found (Debian package 'time'): no CPU figures.\n`);
  const cold = [];
  for (let run = 0; run < runs; run++) {
    removeTypecheckState();
    cold.push(gate({ TURBO_FORCE: "true" }));
  }
  console.log(`Contract gate (\`pnpm test\`), ${operationCount()} operations, ${runs} runs each`);
  report("cold (turbo cache and tsc state off)", cold);
  taskTable(cold);

  const cached = [];
  for (let run = 0; run < runs; run++) cached.push(gate());
  report("\ncached rerun, nothing changed", cached);

  const edited = [];
  for (let run = 0; run < runs; run++) {
    writeFileSync(editedFile, `${editedOriginal}\n// bench edit ${Date.now()}\n`);
    edited.push(gate());
  }
  writeFileSync(editedFile, editedOriginal);
  report("after a change to one client source file", edited);
  taskTable(edited.map((result) => ({ ...result, tasks: ranTasks(result.tasks) })));
} finally {
  restore();
}

if (!options["gate-only"]) {
  console.log("");
  execFileSync("pnpm", ["turbo", "run", "bench", "--concurrency=1"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", REDOCLY_TELEMETRY: "off" },
  });
}
