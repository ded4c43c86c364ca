// The spec module's reader of webhooks, on the contract and on small documents of its own: what
// it reads from a webhook, and the ContractError for one it cannot read.
import {
  ContractError,
  describeErrors,
  type JsonObject,
  validatorAt,
  webhooks,
  webhooksOf,
} from "@loops-contract/spec";
import { expect, test } from "vitest";

const payload = (eventName: JsonObject): JsonObject => ({
  allOf: [{ $ref: "#/components/schemas/Envelope" }, { type: "object", properties: { eventName } }],
});

/** A document with one webhook `thing`, its payload schema in components. */
function documentWith(post: JsonObject | undefined, eventName: JsonObject = { const: "a.b" }) {
  return {
    openapi: "3.1.0",
    webhooks: { thing: { $ref: "#/components/pathItems/Thing" } },
    components: {
      pathItems: { Thing: post === undefined ? {} : { post } },
      parameters: {
        Id: { name: "webhook-id", in: "header", required: true, schema: { type: "string" } },
      },
      schemas: {
        Envelope: { type: "object", properties: { eventName: { type: "string" } } },
        Thing: payload(eventName),
      },
    },
  } satisfies JsonObject;
}

const post: JsonObject = {
  summary: "A thing",
  description: "It happened.",
  "x-sandbox": { on: [{ resource: "thing", change: "created" }], payload: { eventTime: "$now" } },
  parameters: [
    { $ref: "#/components/parameters/Id" },
    { name: "webhook-extra", in: "header", required: false, schema: { type: "string" } },
  ],
  requestBody: {
    content: {
      "application/json": {
        schema: { $ref: "#/components/schemas/Thing" },
        examples: { first: { value: { eventName: "a.b" } } },
      },
    },
  },
};

test("a webhook is read with its key, eventName, required headers, examples and x-sandbox", () => {
  const [thing, ...others] = webhooksOf(documentWith(post));
  expect(others).toEqual([]);
  expect(thing).toEqual({
    key: "thing",
    eventName: "a.b",
    summary: "A thing",
    description: "It happened.",
    pointer: "/components/pathItems/Thing/post",
    schema: payload({ const: "a.b" }),
    schemaPointer: "/components/pathItems/Thing/post/requestBody/content/application~1json/schema",
    examples: { first: { eventName: "a.b" } },
    headers: ["webhook-id"],
    sandbox: { on: [{ resource: "thing", change: "created" }], payload: { eventTime: "$now" } },
  });
});

test("a document without webhooks has none", () => {
  expect(webhooksOf({ openapi: "3.1.0", paths: {} })).toEqual([]);
});

test.each([
  ["no post", documentWith(undefined), /Webhook thing has no post/],
  ["no JSON body", documentWith({ summary: "x" }), /Webhook thing has no application\/json body/],
  ["no eventName const", documentWith(post, { type: "string" }), /fixes no eventName/],
  [
    "an x-sandbox outside the vocabulary",
    documentWith({ ...post, "x-sandbox": { on: "thing" } }),
    /Webhook thing does not fit the sandbox vocabulary \(SANDBOX.md\): x-sandbox-webhook must have required property 'payload'; x-sandbox-webhook\/on must be array/,
  ],
])("a webhook with %s is a ContractError naming it", (_, document, message) => {
  expect(() => webhooksOf(document)).toThrow(ContractError);
  expect(() => webhooksOf(document)).toThrow(message);
});

test("the contract's 17 webhooks: one eventName each, the three headers, examples that validate", () => {
  expect(webhooks).toHaveLength(17);
  expect(new Set(webhooks.map((webhook) => webhook.eventName)).size).toBe(17);
  for (const webhook of webhooks) {
    expect(webhook.headers, webhook.key).toEqual([
      "webhook-id",
      "webhook-timestamp",
      "webhook-signature",
    ]);
    const validate = validatorAt(webhook.schemaPointer);
    const examples = Object.entries(webhook.examples);
    expect(examples.length, webhook.key).toBeGreaterThan(0);
    for (const [name, value] of examples) {
      expect(validate(value), `${webhook.key} ${name}: ${describeErrors(validate.errors)}`).toBe(
        true,
      );
      expect((value as JsonObject).eventName, `${webhook.key} ${name}`).toBe(webhook.eventName);
    }
  }
});
