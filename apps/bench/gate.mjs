// `pnpm bench [--runs N] [--gate-only | --mock-only] [--against REF]`: where the gate's time goes,
// then each package's own `bench`. It prints figures and never judges them: targets live in the
// README.
//
// - cold `pnpm test` (turbo cache and tsc's incremental state off), N times, with each turbo
//   task's wall time from turbo's run summary and its CPU time from GNU time wrapped around the
//   task's package script (pnpm's `script-shell`), children included;
// - the cached rerun, nothing changed;
// - the rerun after a change to one client source file.
// With `--against REF` it compares the cold gate and the one-file client edit here with the same
// in a worktree of REF (installed offline from the pnpm store), with each side's per-task table,
// then the mock's start-up and throughput benches (mock-benches.mjs), the two always taking turns.
// `--gate-only` leaves the mock's benches out; `--mock-only` runs only them.
// It restores what it touches, also on failure, SIGINT and SIGTERM: the edited source file,
// turbo's run summaries, its temporary files and worktree.
import { execFileSync, spawn } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { constants, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { mockBenchCommand, mockBenches, printMockBenches } from "./mock-benches.mjs";

const { values: options } = parseArgs({
  options: {
    runs: { type: "string", default: process.env.BENCH_RUNS },
    "gate-only": { type: "boolean", default: false },
    "mock-only": { type: "boolean", default: false },
    against: { type: "string" },
  },
});
if (options["gate-only"] && options["mock-only"]) {
  console.error("--gate-only and --mock-only leave nothing to run: pass one of them.");
  process.exit(2);
}
// A comparison runs everything twice, and the mock's benches are long: fewer runs by default.
const defaultRuns = options.against === undefined && !options["mock-only"] ? 5 : 3;
const runs = Math.max(1, Number.parseInt(options.runs, 10) || defaultRuns);
const runsEach = `${runs} ${runs === 1 ? "run" : "runs"} each`;

const here = fileURLToPath(new URL("../../", import.meta.url));
const gnuTime = "/usr/bin/time";
const scratch = realpathSync(mkdtempSync(join(tmpdir(), "gate-bench-")));
const taskLog = join(scratch, "tasks.log");
const scriptShell = join(scratch, "script-shell.sh");
const againstRoot = join(scratch, "against");

// GNU time reports each package script's CPU with its children's; pnpm runs every script
// through this shell. Loose env mode lets turbo hand the two variables to the tasks.
const measuresCpu = existsSync(gnuTime);
writeFileSync(
  scriptShell,
  `#!/bin/sh\nexec ${gnuTime} -q -a -o "$GATE_BENCH_TASK_LOG" -f "$npm_package_name#$npm_lifecycle_event %e %U %S" /bin/sh "$@"\n`,
  { mode: 0o755 },
);
const quietEnv = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", REDOCLY_TELEMETRY: "off" };
const gateEnv = {
  ...quietEnv,
  TURBO_RUN_SUMMARY: "true",
  ...(measuresCpu && {
    TURBO_ENV_MODE: "loose",
    pnpm_config_script_shell: scriptShell,
    GATE_BENCH_TASK_LOG: taskLog,
  }),
};

/** A command that exited non-zero, with the end of what it printed. */
class CommandFailed extends Error {
  constructor(message, output = "") {
    super(message);
    this.output = output;
  }
}

// Each child leads its own process group, so a signal stops everything it started (turbo, its
// tasks, their browsers) and the clean-up runs only once they are gone.
const children = new Set();
let stoppedBy;

function run(command, args, cwd, env = quietEnv) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, detached: true, stdio: "pipe" });
    children.add(child);
    // All it prints, for the caller; the end of it, for the error if it fails.
    let stdout = "";
    let output = "";
    const keepTail = (chunk) => {
      output = (output + chunk).slice(-4000);
    };
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      keepTail(chunk);
    });
    child.stderr.on("data", keepTail);
    child.on("error", (error) => {
      children.delete(child);
      reject(error);
    });
    // `close` waits until every process holding the pipes has exited, grandchildren included.
    child.on("close", (code) => {
      children.delete(child);
      if (code === 0) resolve(stdout);
      else reject(new CommandFailed(`\`${command} ${args.join(" ")}\` failed in ${cwd}`, output));
    });
  });
}

/** For `.catch`: says what failed in the bench's words, keeping the command's output. */
const failsAs = (message) => (error) => {
  if (error instanceof CommandFailed) error.message = message;
  throw error;
};

function signalChildren(signal) {
  for (const child of children) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group has already gone.
    }
  }
}

const editedOriginals = new Map();

/** Appends a comment to the client's entry, so every task that depends on the client reruns. */
function editClientSource(root) {
  const file = join(root, "packages/client/src/index.ts");
  if (!editedOriginals.has(file)) editedOriginals.set(file, readFileSync(file, "utf8"));
  writeFileSync(file, `${editedOriginals.get(file)}\n// bench edit ${Date.now()}\n`);
}

function restoreEditedSources() {
  for (const [file, original] of editedOriginals) writeFileSync(file, original);
  editedOriginals.clear();
}

let worktreeAdded = false;

function removeWorktree() {
  if (!worktreeAdded) return;
  worktreeAdded = false;
  const git = (...args) =>
    execFileSync("git", args, { cwd: here, env: quietEnv, encoding: "utf8", stdio: "pipe" });
  try {
    git("worktree", "remove", "--force", againstRoot);
  } catch {
    // Stopped while `git worktree add` ran, it may be half made and still locked: only a second
    // --force removes a locked worktree, and only one git still lists is there to remove.
    rmSync(againstRoot, { recursive: true, force: true });
    const listed = git("worktree", "list", "--porcelain").split("\n");
    if (listed.includes(`worktree ${againstRoot}`)) {
      git("worktree", "remove", "--force", "--force", againstRoot);
    }
  }
}

function cleanUp() {
  restoreEditedSources();
  removeWorktree();
  rmSync(scratch, { recursive: true, force: true });
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (stoppedBy) return signalChildren("SIGKILL");
    stoppedBy = signal;
    if (children.size === 0) {
      cleanUp();
      process.exit(128 + constants.signals[signal]);
    }
    // The awaited child now fails; the main flow cleans up once it has exited.
    signalChildren("SIGTERM");
    setTimeout(() => signalChildren("SIGKILL"), 10_000).unref();
  });
}

/** tsc -b's state beside each project, and the one vitest's type tests keep inside vitest. */
function removeTypecheckState(root) {
  for (const dir of ["spec", ...["packages", "apps"].flatMap((parent) => subdirs(root, parent))]) {
    for (const file of readdirSync(join(root, dir))) {
      if (file.endsWith(".tsbuildinfo")) rmSync(join(root, dir, file));
    }
  }
  const requireFromClient = createRequire(join(root, "packages/client/package.json"));
  const vitestDist = join(requireFromClient.resolve("vitest"), "..", "dist");
  rmSync(join(vitestDist, "tsconfig.tmp.tsbuildinfo"), { force: true });
}

function subdirs(root, parent) {
  return readdirSync(join(root, parent), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `${parent}/${entry.name}`);
}

// Turbo shares one local cache among a repository's worktrees; the bench keeps its own per
// checkout, so it neither reads what other worktrees cached nor fills their cache.
const turboCacheDirs = new Map();
function turboCacheDir(root) {
  if (!turboCacheDirs.has(root)) turboCacheDirs.set(root, mkdtempSync(join(scratch, "cache-")));
  return turboCacheDirs.get(root);
}

function summaryFiles(dir) {
  return existsSync(dir) ? new Set(readdirSync(dir)) : new Set();
}

/** One `pnpm test` in `root`: its wall time, and per task its wall (turbo) and CPU (GNU time) seconds. */
async function gate(root, extraEnv = {}) {
  const rootPackage = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).name;
  const summariesDir = join(root, ".turbo/runs");
  const before = summaryFiles(summariesDir);
  rmSync(taskLog, { force: true });
  try {
    const started = performance.now();
    await run("pnpm", ["test"], root, {
      ...gateEnv,
      TURBO_CACHE_DIR: turboCacheDir(root),
      ...extraEnv,
    });
    const wall = (performance.now() - started) / 1000;

    const tasks = new Map();
    for (const file of summaryFiles(summariesDir)) {
      if (before.has(file)) continue;
      const summary = JSON.parse(readFileSync(join(summariesDir, file), "utf8"));
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
  } finally {
    for (const file of summaryFiles(summariesDir)) {
      if (!before.has(file)) rmSync(join(summariesDir, file), { force: true });
    }
  }
}

/** `runs` measures in each checkout, taking turns, so a busier minute on the machine hits both. */
async function alternate(phase, checkouts, measure) {
  const results = checkouts.map(() => []);
  for (let round = 1; round <= runs; round++) {
    // Who goes first swaps each round, so that a steady first-or-second effect evens out.
    const order = [...checkouts.entries()];
    if (round % 2 === 0) order.reverse();
    for (const [index, { label, root }] of order) {
      const started = performance.now();
      results[index].push(await measure(root, label));
      const wall = (performance.now() - started) / 1000;
      process.stderr.write(`${phase}, run ${round} of ${runs}, ${label}: ${wall.toFixed(1)} s\n`);
    }
  }
  return results;
}

/** One `pnpm test`, after `prepare` readied the checkout for it. */
const gateAfter =
  (prepare, extraEnv = {}) =>
  (root, label) => {
    prepare(root);
    return gate(root, extraEnv).catch(failsAs(`pnpm test failed in ${label}`));
  };

/** One mock bench's output, or `undefined` where the checkout has no such bench. */
const mockBench = (bench) => (root, label) => {
  const command = mockBenchCommand(root, bench);
  if (command === undefined) return undefined;
  return run(process.execPath, command.args, command.cwd).catch(
    failsAs(`the mock's ${bench} failed in ${label}`),
  );
};

/** The mock's benches in every checkout, each on a build of its own sources. */
async function benchMock(checkouts) {
  for (const { label, root } of checkouts) {
    const build = ["turbo", "run", "build", "--filter=@loops-contract/mock"];
    await run("pnpm", build, root, { ...quietEnv, TURBO_CACHE_DIR: turboCacheDir(root) }).catch(
      failsAs(`the mock's build failed in ${label}`),
    );
  }
  const results = new Map();
  for (const bench of mockBenches) {
    results.set(bench, await alternate(`mock ${bench}`, checkouts, mockBench(bench)));
  }
  printMockBenches(checkouts, results, { median, runsEach });
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
  const cpu = median(results.map((result) => result.cpu));
  const ran = median(results.map((result) => ranTasks(result.tasks).size));
  const all = median(results.map((result) => result.tasks.size));
  console.log(
    `${label.padEnd(44)} ${seconds(median(walls))} s wall (${spread(walls)})` +
      (cpu === undefined ? "" : `, ${cpu.toFixed(1)} CPU-s`) +
      (ran < all ? `, ${ran} of ${all} tasks ran` : ""),
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

function operationCount(root) {
  const bundle = JSON.parse(readFileSync(join(root, "spec/dist/openapi.json"), "utf8"));
  const methods = new Set(["get", "put", "post", "delete", "patch", "options", "head", "trace"]);
  return Object.values(bundle.paths ?? {}).reduce(
    (count, pathItem) => count + Object.keys(pathItem).filter((key) => methods.has(key)).length,
    0,
  );
}

/** A worktree of `ref` with its dependencies, from the store this checkout installed from. */
async function checkOut(ref) {
  let commit;
  try {
    commit = execFileSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], {
      cwd: here,
      env: quietEnv,
      encoding: "utf8",
    }).trim();
  } catch {
    throw new CommandFailed(`${ref} is not a commit of this repository`);
  }
  const label = `${ref} (${commit.slice(0, 7)})`;
  process.stderr.write(`checking out ${label} in ${againstRoot}\n`);
  worktreeAdded = true;
  await run("git", ["worktree", "add", "--detach", againstRoot, commit], here);
  await run("pnpm", ["install", "--frozen-lockfile", "--offline"], againstRoot).catch(
    failsAs(`pnpm install failed in ${label}`),
  );
  return { label, root: againstRoot };
}

function compare(title, checkouts, results) {
  console.log(title);
  for (const [index, { label }] of checkouts.entries()) report(`  ${label}`, results[index]);
  const [mine, theirs] = results;
  const ratio = (key, name) => {
    const [a, b] = [mine, theirs].map((side) => median(side.map((result) => result[key])));
    return a === undefined || b === undefined ? undefined : `${(a / b).toFixed(2)}x ${name}`;
  };
  const ratios = [ratio("wall", "wall"), ratio("cpu", "CPU")].filter(Boolean).join(", ");
  console.log(`  ${`${checkouts[0].label} / ${checkouts[1].label}`.padEnd(42)}    ${ratios}`);
}

/** Each side's per-task table, under its label. */
function taskTables(checkouts, results, tasksOf = (tasks) => tasks) {
  for (const [index, { label }] of checkouts.entries()) {
    console.log(`  ${label}:`);
    taskTable(results[index].map((result) => ({ ...result, tasks: tasksOf(result.tasks) })));
  }
}

async function benchGateAgainst(checkouts) {
  const cold = await alternate(
    "cold",
    checkouts,
    gateAfter(removeTypecheckState, { TURBO_FORCE: "true" }),
  );
  // The cold runs filled each checkout's cache, so the edit reruns only what the edit touches.
  const edited = await alternate("client edit", checkouts, gateAfter(editClientSource));
  restoreEditedSources();
  const [mine, theirs] = checkouts.map(({ root }) => operationCount(root));
  console.log(
    `Contract gate (\`pnpm test\`), ${mine} operations here and ${theirs} at ${checkouts[1].label}, ` +
      `${runsEach}, taking turns`,
  );
  compare("cold (turbo cache and tsc state off)", checkouts, cold);
  taskTables(checkouts, cold);
  compare("\nafter a change to one client source file", checkouts, edited);
  taskTables(checkouts, edited, ranTasks);
}

async function benchAgainst(ref) {
  const checkouts = [{ label: "this checkout", root: here }, await checkOut(ref)];
  if (!options["mock-only"]) await benchGateAgainst(checkouts);
  if (!options["mock-only"] && !options["gate-only"]) console.log("");
  if (!options["gate-only"]) await benchMock(checkouts);
}

async function benchGate() {
  const checkouts = [{ label: "this checkout", root: here }];
  const [cold] = await alternate(
    "cold",
    checkouts,
    gateAfter(removeTypecheckState, { TURBO_FORCE: "true" }),
  );
  console.log(`Contract gate (\`pnpm test\`), ${operationCount(here)} operations, ${runsEach}`);
  report("cold (turbo cache and tsc state off)", cold);
  taskTable(cold);

  const [cached] = await alternate(
    "cached",
    checkouts,
    gateAfter(() => {}),
  );
  report("\ncached rerun, nothing changed", cached);

  const [edited] = await alternate("client edit", checkouts, gateAfter(editClientSource));
  restoreEditedSources();
  report("after a change to one client source file", edited);
  taskTable(edited.map((result) => ({ ...result, tasks: ranTasks(result.tasks) })));
}

try {
  if (!measuresCpu) console.log(`${gnuTime} not found (Debian package 'time'): no CPU figures.\n`);
  if (options.against !== undefined) await benchAgainst(options.against);
  else if (options["mock-only"]) await benchMock([{ label: "this checkout", root: here }]);
  else await benchGate();
} catch (error) {
  if (stoppedBy) console.error(`Stopped by ${stoppedBy}; cleaned up.`);
  else console.error(`${error.message}, so there are no figures.\n${error.output ?? error.stack}`);
  process.exitCode = stoppedBy ? 128 + constants.signals[stoppedBy] : 1;
} finally {
  cleanUp();
}

const onlyOne = options["gate-only"] || options["mock-only"];
if (process.exitCode === undefined && !onlyOne && options.against === undefined) {
  console.log("");
  execFileSync("pnpm", ["turbo", "run", "bench", "--concurrency=1"], {
    cwd: here,
    stdio: "inherit",
    env: quietEnv,
  });
}
