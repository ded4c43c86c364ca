// The breaking-change gate, exercised: edits of the contract are diffed against it with the same
// `redocly diff` call the gate makes, and must pass or fail as semver says. Webhook payloads are
// rated from the receiver's side (Redocly flips the direction of a webhook's body): the
// application reads them, so a field removed or made optional, a new enum value or a removed
// event is major, and a new field or event is minor. The edits are made to the current bundle,
// not the released contract, since only the bundle has webhooks; the gate's diff rates an edit
// by what changed, whichever version it is made to. Each verdict is one diff carrying every edit
// it is about, a process each, and each edit is found in the report by its own line. The three
// `webhook-*` headers are guarded by the lint (loops-webhook-headers), not here: the diff rates
// parameters of a webhook as the application's answers, where a removed one breaks nothing.
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
const bundled = join(specDir, "dist/openapi.yaml");
const bundledDocument = parse(readFileSync(bundled, "utf8"));
const [major, minor] = String(bundledDocument.info.version).split(".").map(Number) as [
  number,
  number,
];
const workDir = mkdtempSync(join(tmpdir(), "breaking-gate-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const bump = (version: string): Operation => ({
  op: "replace",
  path: "/info/version",
  value: version,
});
const MAJOR_BUMP = bump(`${major + 1}.0.0`);
const MINOR_BUMP = bump(`${major}.${minor + 1}.0`);

/**
 * Runs the gate's own diff on the bundle against an edited copy of it; `signal` is the test's, so
 * a test that times out does not leave the diff running.
 */
async function diffAgainstBundle(name: string, edits: Operation[], signal: AbortSignal) {
  const edited = jsonPatch.applyPatch(structuredClone(bundledDocument), edits, true).newDocument;
  const file = join(workDir, `${name}.yaml`);
  writeFileSync(file, stringify(edited));
  const args = ["diff", bundled, file, "--check-version", "--fail-on", "none"];
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

const emailSchema = "/components/schemas/WebhookEmail";
const outcomeSchema = "/components/schemas/WebhookEmailOutcome";

/** Each breaking edit with the line the report rates it by: what changed and the rule. */
const BREAKING_EDITS = [
  {
    change: "a removed response field",
    edit: { op: "remove", path: "/components/schemas/Campaign/properties/url" },
    finding: "Property `url` of `Campaign` was removed. (property-removed)",
  },
  {
    change: "a new required request field",
    edit: {
      op: "add",
      path: "/components/schemas/CreateCampaignRequest/required/-",
      value: "campaignGroupId",
    },
    finding:
      "Properties of `CreateCampaignRequest` became required: `campaignGroupId`. (required-properties-added)",
  },
  {
    change: "a narrowed request type",
    edit: {
      op: "replace",
      path: "/components/schemas/CreateCampaignRequest/properties/mailingListId/type",
      value: "string",
    },
    finding:
      "Type of `mailingListId` narrowed from 'string | null' to 'string'. (schema-type-changed)",
  },
  {
    change: "a removed status",
    edit: { op: "remove", path: "/paths/~1v1~1campaigns/post/responses/404" },
    finding: "Response `404` was removed. (response-removed)",
  },
  {
    change: "a removed webhook payload field",
    edit: { op: "remove", path: `${emailSchema}/properties/emailMessageId` },
    finding: "Property `emailMessageId` of `WebhookEmail` was removed. (property-removed)",
  },
  {
    change: "a webhook payload field made optional",
    edit: { op: "replace", path: `${emailSchema}/required`, value: ["id"] },
    finding:
      "Properties of `WebhookEmail` are no longer required: `emailMessageId`, `subject`. (required-properties-removed)",
  },
  {
    change: "a new value of a webhook payload enum",
    edit: { op: "add", path: `${outcomeSchema}/properties/sourceType/enum/-`, value: "form" },
    finding: "Enum of `sourceType` gained values: 'form'. (enum-values-added)",
  },
  {
    change: "a removed webhook event",
    edit: { op: "remove", path: "/webhooks/emailOpened" },
    finding: "Webhook `emailOpened` was removed. (path-removed)",
  },
] satisfies { change: string; edit: Operation; finding: string }[];

/** Each compatible addition with what the report names it by, rated minor. */
const COMPATIBLE_ADDITIONS = [
  {
    change: "a new optional request field",
    edit: {
      op: "add",
      path: "/components/schemas/CreateCampaignRequest/properties/description",
      value: { type: "string", description: "Notes for the team." },
    },
    finding:
      /minor {2}added {5}requestBody\/content\/application\/json\/schema\/properties\/description\n/,
  },
  {
    change: "a new webhook payload field",
    edit: {
      op: "add",
      path: `${emailSchema}/properties/previewText`,
      value: { type: "string", description: "The preview text the contact saw." },
    },
    finding: /minor {2}added {5}requestBody\/\S+\/email\/\$ref\/properties\/previewText\n/,
  },
  {
    change: "a new webhook event",
    edit: {
      op: "add",
      path: "/webhooks/emailForwarded",
      value: bundledDocument.webhooks.emailOpened,
    },
    finding: /emailForwarded \(webhook\)\n\s+✔ minor {2}added\n/,
  },
] satisfies { change: string; edit: Operation; finding: RegExp }[];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** The report's rating line of a change, followed by the line that names it. */
const ratedMajor = (finding: string) => new RegExp(`✖ major .*\\n\\s+${escapeRegExp(finding)}\\n`);

// Webhook edits are rated as a receiver sees them: none of the breaking ones may come out minor.
test.concurrent("breaking changes fail without a major bump, each named in the report", async ({
  signal,
}) => {
  const edits = BREAKING_EDITS.map(({ edit }) => edit);
  const { passed, report } = await diffAgainstBundle("breaking", edits, signal);
  expect(passed, report).toBe(false);
  expect(report).toContain(`require a major bump (${major + 1}.0.0)`);
  expect(report).toContain(`${BREAKING_EDITS.length} major, 0 minor,`);
  for (const { change, finding } of BREAKING_EDITS) {
    expect(report, change).toMatch(ratedMajor(finding));
  }
});

test.concurrent("a breaking change passes with a major bump", async ({ signal }) => {
  const edits = [...BREAKING_EDITS.map(({ edit }) => edit), MAJOR_BUMP];
  const { passed, report } = await diffAgainstBundle("major", edits, signal);
  expect(passed, report).toBe(true);
});

test.concurrent("compatible additions pass with a minor bump", async ({ signal }) => {
  const edits = [...COMPATIBLE_ADDITIONS.map(({ edit }) => edit), MINOR_BUMP];
  const { passed, report } = await diffAgainstBundle("minor", edits, signal);
  expect(passed, report).toBe(true);
});

test.concurrent("compatible additions without a bump fail, each rated minor", async ({
  signal,
}) => {
  const edits = COMPATIBLE_ADDITIONS.map(({ edit }) => edit);
  const { passed, report } = await diffAgainstBundle("no-bump", edits, signal);
  expect(passed, report).toBe(false);
  expect(report).toContain(`require a minor bump (${major}.${minor + 1}.0)`);
  expect(report).toContain(`0 major, ${COMPATIBLE_ADDITIONS.length} minor,`);
  for (const { change, finding } of COMPATIBLE_ADDITIONS) expect(report, change).toMatch(finding);
});
