// The lint gate, seen failing: each fixture breaks one promise of the contract in a copy of the
// bundle, and both linters must reject it, naming the rule we expect. The untouched bundle is
// linted in the same run and must come out clean, so a fixture cannot pass by breaking the setup.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { Document, Ruleset, Spectral } from "@stoplight/spectral-core";
// Both are CommonJS whose named exports Node cannot detect: their default export is module.exports.
import spectralParsers from "@stoplight/spectral-parsers";
import { builtins } from "@stoplight/spectral-ruleset-bundler/plugins/builtins";
import { commonjs } from "@stoplight/spectral-ruleset-bundler/plugins/commonjs";
import { bundleAndLoadRuleset } from "@stoplight/spectral-ruleset-bundler/with-loader";
import spectralRuntime from "@stoplight/spectral-runtime";
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
// Stops Redocly's process in afterAll should the set-up fail or time out before it finishes.
const redoclyRun = new AbortController();

function record(findings: Findings, file: string, rule: string) {
  const name = basename(file, ".json");
  findings.set(name, (findings.get(name) ?? new Set()).add(rule));
}

/**
 * Spectral through its JavaScript API, the same packages and plugins its CLI runs on (the OWASP
 * ruleset is CommonJS): the ruleset, with our custom function, is bundled once and every file is
 * linted in this process. The baseline gets every rule. A fixture gets only the rule it must trip
 * (the documented `extends: [[ruleset, off]]` plus that rule), as that rule is all it is tested
 * for and the whole ruleset costs several times more per file on a large contract. Findings of
 * the ref resolver, such as invalid-ref, are no rule: Spectral reports them before any rule
 * runs, so a fixture expecting one gets no rule at all.
 */
async function lintWithSpectral(
  targets: { file: string; rule?: string | undefined }[],
): Promise<{ code: string; source: string }[]> {
  const everyRule = await bundleAndLoadRuleset(
    join(specDir, ".spectral.mjs"),
    { fs, fetch: spectralRuntime.fetch },
    [builtins(), commonjs()],
  );
  const linters = new Map<string, Spectral>();
  function linterFor(rule: string | undefined): Spectral {
    const key = rule ?? "every rule";
    let spectral = linters.get(key);
    if (!spectral) {
      spectral = new Spectral();
      const only = rule !== undefined && rule in everyRule.rules ? { [rule]: true } : {};
      spectral.setRuleset(
        rule === undefined
          ? everyRule
          : new Ruleset({ extends: [[everyRule.definition, "off"]], rules: only }),
      );
      linters.set(key, spectral);
    }
    return spectral;
  }
  const findings = [];
  for (const { file, rule } of targets) {
    const document = new Document(readFileSync(file, "utf8"), spectralParsers.Json, file);
    for (const { code, source } of await linterFor(rule).run(document)) {
      findings.push({ code: String(code), source: source ?? file });
    }
  }
  return findings;
}

/** Linters exit non-zero when they find something; the findings are on stdout either way. */
async function stdoutOf(command: string, args: string[]): Promise<string> {
  try {
    return (
      await run(command, args, {
        cwd: specDir,
        env: { ...process.env, REDOCLY_TELEMETRY: "off" },
        signal: redoclyRun.signal,
      })
    ).stdout;
  } catch (error) {
    return (error as { stdout: string }).stdout;
  }
}

// Every fixture is a Spectral run over the whole bundle (about half a second of CPU alone): the
// limit leaves room for the gate's other tasks sharing the cores.
beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), "lint-gate-"));
  // JSON rather than YAML: Spectral reads it in three quarters of the time.
  const baseline = join(workDir, `${BASELINE}.json`);
  writeFileSync(baseline, JSON.stringify(bundle));
  // Each linter reads the baseline and the fixtures that name one of its rules.
  const filesFor = {
    spectral: [{ file: baseline }] as { file: string; rule?: string }[],
    redocly: [baseline],
  };
  for (const [name, fixture] of fixtures) {
    const broken = jsonPatch.applyPatch(structuredClone(bundle), fixture.patch, true).newDocument;
    const file = join(workDir, `${name}.json`);
    writeFileSync(file, JSON.stringify(broken));
    if (fixture.expect.spectral) filesFor.spectral.push({ file, rule: fixture.expect.spectral });
    if (fixture.expect.redocly) filesFor.redocly.push(file);
  }

  // Redocly publishes no JavaScript API at its CLI's version, so its CLI lints in a second
  // process, on the other core, while Spectral works in this one.
  const [spectral, redocly] = await Promise.all([
    lintWithSpectral(filesFor.spectral),
    stdoutOf("node_modules/.bin/redocly", [
      "lint",
      ...filesFor.redocly,
      "--config",
      "redocly.yaml",
      "--format",
      "github-actions",
    ]),
  ]);
  for (const finding of spectral) record(spectralFindings, finding.source, finding.code);
  for (const [, rule, file] of redocly.matchAll(/^::\w+ title=([^,]+),file=([^,]+),/gm)) {
    record(redoclyFindings, file as string, rule as string);
  }
}, 180_000);

afterAll(() => {
  redoclyRun.abort();
  rmSync(workDir, { recursive: true, force: true });
});

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
