// The lint gate, seen failing: each fixture breaks one promise of the contract in a copy of the
// bundle, and both linters must reject it, naming the rule we expect. The untouched bundle is
// linted in the same run and must come out clean, so a fixture cannot pass by breaking the setup.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import jsonPatch, { type Operation } from "fast-json-patch";
import { afterAll, beforeAll, expect, test } from "vitest";
import { parse } from "yaml";

interface Fixture {
  breaks: string;
  expect: { spectral?: string; redocly?: string };
  patch: Operation[];
}

const run = promisify(execFile);
const specDir = new URL("../", import.meta.url).pathname;
const fixturesDir = new URL("fixtures/broken/", import.meta.url).pathname;
const bundle = JSON.parse(readFileSync(join(specDir, "dist/openapi.json"), "utf8"));
const fixtures = new Map<string, Fixture>(
  readdirSync(fixturesDir).map((file) => [
    basename(file, ".yaml"),
    parse(readFileSync(join(fixturesDir, file), "utf8")),
  ]),
);
const BASELINE = "baseline";

/** The rules each linter reported, by the name of the file they were reported for. */
type Findings = Map<string, Set<string>>;
const spectralFindings: Findings = new Map();
const redoclyFindings: Findings = new Map();
let workDir: string;

function record(findings: Findings, file: string, rule: string) {
  const name = basename(file, ".json");
  findings.set(name, (findings.get(name) ?? new Set()).add(rule));
}

/** Linters exit non-zero when they find something; the findings are on stdout either way. */
async function stdoutOf(command: string, args: string[]): Promise<string> {
  try {
    return (
      await run(command, args, { cwd: specDir, env: { ...process.env, REDOCLY_TELEMETRY: "off" } })
    ).stdout;
  } catch (error) {
    return (error as { stdout: string }).stdout;
  }
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), "lint-gate-"));
  // JSON rather than YAML: Spectral reads it in three quarters of the time.
  const baseline = join(workDir, `${BASELINE}.json`);
  writeFileSync(baseline, JSON.stringify(bundle));
  // Each linter reads the baseline and the fixtures that name one of its rules.
  const filesFor = { spectral: [baseline], redocly: [baseline] };
  for (const [name, fixture] of fixtures) {
    const broken = jsonPatch.applyPatch(structuredClone(bundle), fixture.patch, true).newDocument;
    const file = join(workDir, `${name}.json`);
    writeFileSync(file, JSON.stringify(broken));
    if (fixture.expect.spectral) filesFor.spectral.push(file);
    if (fixture.expect.redocly) filesFor.redocly.push(file);
  }

  const [spectral, redocly] = await Promise.all([
    stdoutOf("node_modules/.bin/spectral", [
      "lint",
      ...filesFor.spectral,
      "-r",
      ".spectral.yaml",
      "-f",
      "json",
      "--quiet",
    ]),
    stdoutOf("node_modules/.bin/redocly", [
      "lint",
      ...filesFor.redocly,
      "--config",
      "redocly.yaml",
      "--format",
      "github-actions",
    ]),
  ]);
  for (const finding of JSON.parse(spectral) as { code: string; source: string }[]) {
    record(spectralFindings, finding.source, finding.code);
  }
  for (const [, rule, file] of redocly.matchAll(/^::\w+ title=([^,]+),file=([^,]+),/gm)) {
    record(redoclyFindings, file as string, rule as string);
  }
}, 120_000);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

test("the untouched bundle passes both linters", () => {
  expect(spectralFindings.get(BASELINE)).toBeUndefined();
  expect(redoclyFindings.get(BASELINE)).toBeUndefined();
});

test("there is a broken fixture for each linter to fail on", () => {
  expect(fixtures.size).toBeGreaterThanOrEqual(15);
});

const expectations = [...fixtures].flatMap(([name, fixture]) =>
  (["spectral", "redocly"] as const).flatMap((linter) => {
    const rule = fixture.expect[linter];
    return rule ? [{ name, linter, rule, breaks: fixture.breaks }] : [];
  }),
);

test.each(expectations)("$linter rejects $name, naming $rule", ({ name, linter, rule, breaks }) => {
  const findings = linter === "spectral" ? spectralFindings : redoclyFindings;
  expect([...(findings.get(name) ?? [])], breaks).toContain(rule);
});
