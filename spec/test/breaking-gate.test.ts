// The breaking-change gate, exercised: edits of the released contract are diffed against it with
// the same `redocly diff` call the gate makes, and must pass or fail as semver says. Webhook
// payloads are rated from the receiver's side (Redocly flips the direction of a webhook's body):
// the application reads them, so a field removed or made optional, a new enum value or a removed
// event is major, and a new field or event is minor. Their edits are diffed against the current
// bundle, since the released contract has no webhooks yet. The three `webhook-*` headers are
// guarded by the lint (loops-webhook-headers), not here: the diff rates parameters of a webhook
// as the application's answers, where a removed one breaks nothing.
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
const bundled = join(specDir, "dist/openapi.yaml");
const bundledDocument = parse(readFileSync(bundled, "utf8"));
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
 * Runs the gate's own diff on a contract (the released one by default) against an edited copy of
 * it; `signal` is the test's, so a test that times out does not leave the diff running.
 */
async function diffAgainstRelease(
  name: string,
  edits: Operation[],
  signal: AbortSignal,
  base = { file: released, document: releasedDocument },
) {
  const edited = jsonPatch.applyPatch(structuredClone(base.document), edits, true).newDocument;
  const file = join(workDir, `${name}.yaml`);
  writeFileSync(file, stringify(edited));
  const args = ["diff", base.file, file, "--check-version", "--fail-on", "none"];
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

const current = { file: bundled, document: bundledDocument };
const [currentMajor, currentMinor] = String(bundledDocument.info.version)
  .split(".")
  .map(Number) as [number, number];
const emailSchema = "/components/schemas/WebhookEmail";
const outcomeSchema = "/components/schemas/WebhookEmailOutcome";

const BREAKING_WEBHOOK_EDITS = [
  {
    change: "a removed payload field",
    edit: { op: "remove", path: `${emailSchema}/properties/emailMessageId` },
    rule: "property-removed",
  },
  {
    change: "a payload field made optional",
    edit: { op: "replace", path: `${emailSchema}/required`, value: ["id"] },
    rule: "required-properties-removed",
  },
  {
    change: "a new value of a payload enum",
    edit: { op: "add", path: `${outcomeSchema}/properties/sourceType/enum/-`, value: "form" },
    rule: "enum-values-added",
  },
  {
    change: "a removed event",
    edit: { op: "remove", path: "/webhooks/emailOpened" },
    rule: "path-removed",
  },
] satisfies { change: string; edit: Operation; rule: string }[];

test.concurrent("webhook payload changes that break a receiver are major, each named", async ({
  signal,
}) => {
  const edits = BREAKING_WEBHOOK_EDITS.map(({ edit }) => edit);
  const { passed, report } = await diffAgainstRelease("webhooks-breaking", edits, signal, current);
  expect(passed, report).toBe(false);
  expect(report).toContain(`require a major bump (${currentMajor + 1}.0.0)`);
  for (const { change, rule } of BREAKING_WEBHOOK_EDITS) {
    expect(report, change).toContain(`(${rule})`);
  }
  expect(report).not.toMatch(/ [1-9]\d* minor,/);
});

test.concurrent("a new payload field and a new event are minor for a receiver", async ({
  signal,
}) => {
  const edits: Operation[] = [
    {
      op: "add",
      path: `${emailSchema}/properties/previewText`,
      value: { type: "string", description: "The preview text the contact saw." },
    },
    { op: "add", path: "/webhooks/emailForwarded", value: bundledDocument.webhooks.emailOpened },
  ];
  const { passed, report } = await diffAgainstRelease("webhooks-minor", edits, signal, current);
  expect(passed, report).toBe(false);
  expect(report).toContain(`require a minor bump (${currentMajor}.${currentMinor + 1}.0)`);
  expect(report).toContain("0 major, 2 minor,");
});
