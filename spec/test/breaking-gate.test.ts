// The breaking-change gate, exercised: edits of the released contract are diffed against it with
// the same `redocly diff` call the gate makes, and must pass or fail as semver says.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import jsonPatch, { type Operation } from "fast-json-patch";
import { afterAll, expect, test } from "vitest";
import { parse, stringify } from "yaml";

const run = promisify(execFile);
const specDir = new URL("../", import.meta.url).pathname;
const released = join(specDir, "released/openapi.yaml");
const releasedDocument = parse(readFileSync(released, "utf8"));
const releasedVersion = releasedDocument.info.version as string;
const [major, minor] = releasedVersion.split(".").map(Number) as [number, number];
const workDir = mkdtempSync(join(tmpdir(), "breaking-gate-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const bump = (version: string): Operation => ({
  op: "replace",
  path: "/info/version",
  value: version,
});
const MAJOR_BUMP = bump(`${major + 1}.0.0`);
const MINOR_BUMP = bump(`${major}.${minor + 1}.0`);

const removeResponseField: Operation = {
  op: "remove",
  path: "/components/schemas/Campaign/properties/url",
};
const newRequiredRequestField: Operation = {
  op: "add",
  path: "/components/schemas/CreateCampaignRequest/required/-",
  value: "campaignGroupId",
};
const narrowRequestType: Operation = {
  op: "replace",
  path: "/components/schemas/CreateCampaignRequest/properties/mailingListId/type",
  value: "string",
};
const removeStatus: Operation = { op: "remove", path: "/paths/~1v1~1campaigns/post/responses/404" };
const newOptionalRequestField: Operation = {
  op: "add",
  path: "/components/schemas/CreateCampaignRequest/properties/description",
  value: { type: "string", description: "Notes for the team." },
};

/**
 * Runs the gate's own diff on the released contract against an edited copy of it; `signal` is the
 * test's, so a test that times out does not leave the diff running.
 */
async function diffAgainstRelease(name: string, edits: Operation[], signal: AbortSignal) {
  const edited = jsonPatch.applyPatch(structuredClone(releasedDocument), edits, true).newDocument;
  const file = join(workDir, `${name}.yaml`);
  writeFileSync(file, stringify(edited));
  const args = ["diff", released, file, "--check-version", "--fail-on", "none"];
  const env = { ...process.env, REDOCLY_TELEMETRY: "off" };
  try {
    const { stdout, stderr } = await run("node_modules/.bin/redocly", args, {
      cwd: specDir,
      env,
      signal,
    });
    return { passed: true, report: stdout + stderr };
  } catch (error) {
    const { stdout, stderr } = error as { stdout: string; stderr: string };
    return { passed: false, report: stdout + stderr };
  }
}

const BREAKING_EDITS = [
  { change: "a removed response field", edit: removeResponseField, rule: "property-removed" },
  {
    change: "a new required request field",
    edit: newRequiredRequestField,
    rule: "required-properties-added",
  },
  { change: "a narrowed request type", edit: narrowRequestType, rule: "schema-type-changed" },
  { change: "a removed status", edit: removeStatus, rule: "response-removed" },
];

// One diff carries all four breaking edits (a process each would double this file's time);
// the report must rate every one of them major, by its own rule.
test.concurrent("breaking changes fail without a major bump, each named in the report", async ({
  signal,
}) => {
  const { passed, report } = await diffAgainstRelease(
    "breaking",
    BREAKING_EDITS.map(({ edit }) => edit),
    signal,
  );
  expect(passed, report).toBe(false);
  expect(report).toContain(`require a major bump (${major + 1}.0.0)`);
  expect(report).toContain(`${BREAKING_EDITS.length} major,`);
  for (const { change, rule } of BREAKING_EDITS) expect(report, change).toContain(`(${rule})`);
});

test.concurrent("a breaking change passes with a major bump", async ({ signal }) => {
  const edits = [...BREAKING_EDITS.map(({ edit }) => edit), MAJOR_BUMP];
  const { passed, report } = await diffAgainstRelease("major", edits, signal);
  expect(passed, report).toBe(true);
});

test.concurrent("a compatible addition passes with a minor bump", async ({ signal }) => {
  const { passed, report } = await diffAgainstRelease(
    "minor",
    [newOptionalRequestField, MINOR_BUMP],
    signal,
  );
  expect(passed, report).toBe(true);
});

test.concurrent("a compatible addition without a bump fails, asking for a minor one", async ({
  signal,
}) => {
  const { passed, report } = await diffAgainstRelease("no-bump", [newOptionalRequestField], signal);
  expect(passed, report).toBe(false);
  expect(report).toContain(`require a minor bump (${major}.${minor + 1}.0)`);
});
