// The mock's start-up and throughput benches (packages/mock/bench), as `pnpm bench` runs them in
// each checkout, and their figures read back from what they print: a ref's benches can only be
// asked for their output, and the comparison needs numbers.
import { existsSync } from "node:fs";
import { join } from "node:path";

export const mockBenches = ["startup.mjs", "throughput.mjs"];

/** `node bench/<bench>` as the mock's `bench` script runs it, or `undefined` if `root` lacks it. */
export function mockBenchCommand(root, bench) {
  const cwd = join(root, "packages/mock");
  return existsSync(join(cwd, "bench", bench)) ? { args: [`bench/${bench}`], cwd } : undefined;
}

// The shapes of the lines the benches print a figure on; the first that matches a line reads it.
const lineShapes = [
  // startup.mjs: `<what>   median   354 ms  min   340  max   371`
  {
    pattern: /^(.+?)\s+median\s+(\d+(?:\.\d+)?) ms\b/,
    read: ([, label, ms]) => [[label, Number(ms), "ms"]],
  },
  // throughput.mjs: `<server>   9083 requests/s  p50 1.0 ms  p99 3.0 ms`
  {
    pattern: /^(.+?)\s+(\d+(?:\.\d+)?) requests\/s\s+p50 [\d.]+ ms\s+p99 (\d+(?:\.\d+)?) ms/,
    read: ([, label, rps, p99]) => [
      [label, Number(rps), "requests/s"],
      [`${label}, p99`, Number(p99), "ms"],
    ],
  },
  // Both: the same-run ratios they work out, `<a> / <b>: 3.12x (target ...)`.
  {
    pattern: /^(.+?):\s+(\d+(?:\.\d+)?)x\b/,
    read: ([, label, ratio]) => [[label, Number(ratio), "x"]],
  },
];

/** The figures in one bench's output: label -> { value, unit }. */
export function figuresOf(output) {
  const figures = new Map();
  for (const line of output.split("\n")) {
    const shape = lineShapes.find(({ pattern }) => pattern.test(line));
    if (shape === undefined) continue;
    for (const [label, value, unit] of shape.read(shape.pattern.exec(line))) {
      figures.set(label.replace(/\s+/g, " ").trim(), { value, unit });
    }
  }
  return figures;
}

const labelWidth = 48;

function formatted(figure) {
  if (figure === undefined) return "-";
  const { value, unit } = figure;
  if (unit === "x") return `${value.toFixed(2)}x`;
  if (unit === "requests/s") return `${value.toFixed(0)} req/s`;
  return `${value.toFixed(value < 100 ? 1 : 0)} ms`;
}

/**
 * One table per bench: each figure's median over the runs, per checkout, and the first
 * checkout's over the second's, measured in the same run of `pnpm bench`.
 */
export function printMockBenches(checkouts, resultsByBench, { median, runsEach }) {
  const compared = checkouts.length > 1;
  const ratioOf = compared ? `; ratio: ${checkouts[0].label} / ${checkouts[1].label}` : "";
  console.log(
    `Mock benches (packages/mock/bench), ${runsEach}${compared ? ", taking turns" : ""}; medians` +
      `${ratioOf}${compared ? " (ms: lower is better, req/s: higher)" : ""}`,
  );
  const columns = [...checkouts.map(({ label }) => label), ...(compared ? ["ratio"] : [])];
  console.log(`  ${"".padEnd(labelWidth)}${columns.map((column) => column.padStart(20)).join("")}`);
  for (const [bench, results] of resultsByBench) {
    console.log(bench);
    const sides = results.map((outputs) => outputs.filter((output) => output !== undefined));
    if (sides.some((outputs) => outputs.length === 0)) {
      const lacking = checkouts.filter((_, index) => sides[index].length === 0);
      console.log(
        `  not compared: ${lacking.map(({ label }) => label).join(", ")} has no ${bench}`,
      );
      continue;
    }
    const figures = sides.map((outputs) => outputs.map(figuresOf));
    const labels = [...new Set(figures.flat().flatMap((run) => [...run.keys()]))];
    for (const label of labels) {
      const medians = figures.map((runs) => {
        const found = runs.map((run) => run.get(label)).filter(Boolean);
        return found.length === 0
          ? undefined
          : { value: median(found.map(({ value }) => value)), unit: found[0].unit };
      });
      const cells = medians.map(formatted);
      if (compared) {
        const [mine, theirs] = medians;
        cells.push(mine && theirs ? `${(mine.value / theirs.value).toFixed(2)}x` : "-");
      }
      console.log(
        `  ${label.padEnd(labelWidth)}${cells.map((cell) => cell.padStart(20)).join("")}`,
      );
    }
  }
}
