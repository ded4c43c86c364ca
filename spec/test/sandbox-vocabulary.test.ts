// The spec module checks the sandbox's declarations against sandbox-vocabulary.schema.mjs when it
// loads: a copy of the built module, beside a bundle with one declaration broken, must refuse to
// load with a ContractError that says where the declaration is and what is wrong with it.
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { at, contract, type JsonObject, operations } from "@loops-contract/spec";
import { afterAll, beforeAll, expect, test } from "vitest";

const specDir = new URL("../", import.meta.url).pathname;
let scratch: string;
let copies = 0;

/** Loads the built module beside `document`; resolves to what the load threw, if anything. */
async function loadWith(document: JsonObject): Promise<unknown> {
  copies += 1;
  const moduleDir = join(scratch, `copy-${copies}`);
  mkdirSync(join(moduleDir, "dist"), { recursive: true });
  cpSync(join(specDir, "dist/lib"), join(moduleDir, "dist/lib"), { recursive: true });
  writeFileSync(join(moduleDir, "dist/openapi.json"), JSON.stringify(document));
  try {
    await import(pathToFileURL(join(moduleDir, "dist/lib/index.js")).href);
    return undefined;
  } catch (error) {
    return error;
  }
}

/** The bundle as untyped JSON, as a reader edits it. */
type UntypedJson = ReturnType<typeof JSON.parse>;

/** A copy of the bundle with one change made to it. */
function broken(change: (document: UntypedJson) => void): JsonObject {
  const copy = structuredClone(contract);
  change(copy);
  return copy;
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "sandbox-vocabulary-"));
  // The copies import ajv as the built module does, from a node_modules above them.
  const requireFromSpec = createRequire(join(specDir, "package.json"));
  mkdirSync(join(scratch, "node_modules"));
  for (const dependency of ["ajv", "ajv-formats"]) {
    const manifest = requireFromSpec.resolve(`${dependency}/package.json`);
    symlinkSync(dirname(manifest), join(scratch, "node_modules", dependency), "dir");
  }
});
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test("the bundle as built loads", async () => {
  expect(await loadWith(contract)).toBeUndefined();
});

test("an operation may say `x-sandbox: false`, and the module reads it as no declaration", async () => {
  const answered = operations.filter((operation) => operation.sandbox === undefined);
  expect(answered.length).toBeGreaterThan(0);
  for (const operation of answered)
    expect((at(operation.pointer) as JsonObject)["x-sandbox"], operation.operationId).toBe(false);
  expect(
    await loadWith(
      broken((document) => {
        document.paths["/v1/campaigns"].get["x-sandbox"] = false;
      }),
    ),
  ).toBeUndefined();
});

const faults: Array<{ fault: string; change: (document: UntypedJson) => void; says: string }> = [
  {
    fault: "a resource rule without a field it needs",
    change: (document) => {
      delete document["x-sandbox-model"].resources.campaign.lock.allow;
    },
    says: "The contract does not fit the sandbox vocabulary (SANDBOX.md): x-sandbox-model/resources/campaign/lock must have required property 'allow'",
  },
  {
    fault: "a derived field whose template is not a string",
    change: (document) => {
      document["x-sandbox-model"].resources.campaign.derived = { url: 42 };
    },
    says: "The contract does not fit the sandbox vocabulary (SANDBOX.md): x-sandbox-model/resources/campaign/derived/url must be string",
  },
  {
    fault: "an action the vocabulary lacks",
    change: (document) => {
      document.paths["/v1/campaigns"].get["x-sandbox"].action = "archive";
    },
    says: "GET /v1/campaigns does not fit the sandbox vocabulary (SANDBOX.md): x-sandbox/action must be equal to one of the allowed values: create, read, update, list, inspect",
  },
  {
    fault: "an answer on an action other than inspect",
    change: (document) => {
      document.paths["/v1/campaigns"].get["x-sandbox"].answer = "page";
    },
    says: "GET /v1/campaigns does not fit the sandbox vocabulary (SANDBOX.md): x-sandbox/answer is only for the action inspect",
  },
  {
    fault: "a webhook's outbox entry of the kind the mock keeps for its deliveries",
    change: (document) => {
      document.webhooks.campaignEmailSent.post["x-sandbox"].outbox.kind = "webhook";
    },
    says: "Webhook campaignEmailSent does not fit the sandbox vocabulary (SANDBOX.md): x-sandbox-webhook/outbox/kind is a name the vocabulary reserves",
  },
  {
    fault: "`x-sandbox: true`, which is neither a declaration nor `false`",
    change: (document) => {
      document.paths["/v1/campaigns"].get["x-sandbox"] = true;
    },
    says: "GET /v1/campaigns does not fit the sandbox vocabulary (SANDBOX.md): x-sandbox must be object",
  },
];

test.each(faults)("$fault is a ContractError naming its place", async ({ change, says }) => {
  const error = await loadWith(broken(change));
  expect(error).toMatchObject({ name: "ContractError" });
  expect(String(error)).toContain(says);
});
