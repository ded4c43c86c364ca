// Every fact of "Create a campaign" that the contract encodes, checked against the bundle with an
// independent JSON Schema 2020-12 validator (ajv, through the spec module), not the linters' view of it.

import {
  at,
  deref,
  contract as document,
  getOperation,
  invalidBodies,
  type JsonObject,
  operations,
  schemaValidator,
  validatorAt,
} from "@loops-contract/spec";
import { describe, expect, test } from "vitest";

/** The bundle as untyped JSON (what `JSON.parse` gives), walked by the facts below as a reader would. */
type UntypedJson = ReturnType<typeof JSON.parse>;
const contract: UntypedJson = document;
const create = getOperation("createCampaign");
const operation: UntypedJson = at(create.pointer);
const validator = (schema: string) => {
  const validate = schemaValidator(schema);
  return (value: unknown) => validate(value) as boolean;
};
const isValidRequest = validator("CreateCampaignRequest");
const isValidCreated = validator("CreatedCampaign");
const examplesOf = (media: { examples: Record<string, JsonObject> }) =>
  Object.entries(media.examples).map(([name, example]) => ({
    name,
    value: deref(example).value as Record<string, unknown>,
  }));
const jsonOf = (status: string) =>
  (deref(operation.responses[status]) as UntypedJson).content?.["application/json"];

describe("the operation", () => {
  test("is POST /v1/campaigns on https://app.loops.so/api, named createCampaign, tagged Campaigns", () => {
    expect(Object.keys(contract.paths)).toContain("/v1/campaigns");
    expect(Object.keys(contract.paths["/v1/campaigns"])).toContain("post");
    expect(contract.servers[0].url).toBe("https://app.loops.so/api");
    expect(contract.servers[1].url).toBe("http://127.0.0.1:4010");
    expect(operation).toMatchObject({
      operationId: "createCampaign",
      tags: ["Campaigns"],
      summary: "Create a campaign",
    });
  });

  test("needs a bearer key on every request", () => {
    expect(contract.components.securitySchemes.bearerAuth).toMatchObject({
      type: "http",
      scheme: "bearer",
    });
    expect(contract.security).toEqual([{ bearerAuth: [] }]);
    expect(operation.security).toEqual([{ bearerAuth: [] }]);
  });

  test("takes a required JSON body", () => {
    expect(operation.requestBody.required).toBe(true);
    expect(Object.keys(operation.requestBody.content)).toEqual(["application/json"]);
  });

  test("documents exactly 201, 400, 401, 404, 405 and 429, each with the rate-limit headers", () => {
    expect(Object.keys(operation.responses)).toEqual(["201", "400", "401", "404", "405", "429"]);
    // Every answer of the API (the webhooks' answers are the application's, without them).
    for (const { method, path, responses } of operations) {
      for (const { status, headers } of responses) {
        expect(
          headers.map(({ name }) => name),
          `${method} ${path} ${status}`,
        ).toEqual(
          status === "405"
            ? ["Allow", "x-ratelimit-limit", "x-ratelimit-remaining"]
            : ["x-ratelimit-limit", "x-ratelimit-remaining"],
        );
      }
    }
  });

  test("a 405 says which methods the path takes, in a required Allow header", () => {
    const allow = contract.components.headers.Allow;
    expect(allow.required).toBe(true);
    const isValidAllow = validatorAt("/components/headers/Allow/schema");
    expect(isValidAllow("GET, POST")).toBe(true);
    expect(isValidAllow("POST")).toBe(true);
    expect(isValidAllow("get,post")).toBe(false);
  });

  test("names its client method and is not safe to repeat blindly", () => {
    expect(create.sdkMethod).toEqual({ namespace: "campaigns", name: "create" });
    expect(create.idempotent).toBe(false);
  });
});

describe("the table of invalid bodies", () => {
  test.each(invalidBodies("createCampaign"))("refuses $name", ({ body }) => {
    expect(isValidRequest(body)).toBe(false);
  });

  test("says it creates a draft with an empty email message, is alpha, server-side and not idempotent", () => {
    expect(operation.description).toMatch(/draft.*empty email message/is);
    expect(operation.description).toContain("emailMessageId");
    expect(operation.description).toMatch(/no `Idempotency-Key`/);
    expect(contract.info.description).toMatch(/open alpha/i);
    expect(contract.info.description).toMatch(/CORS/);
  });
});

describe("the request body", () => {
  const valid = { name: "Spring announcement" };
  const filter = { match: "all", conditions: [{ type: "optIn", status: "accepted" }] };
  const property = { type: "property", key: "plan" };

  test.each(examplesOf(operation.requestBody.content["application/json"]))(
    "accepts the named example $name",
    ({ value }) => expect(isValidRequest(value)).toBe(true),
  );

  test("has at least four named examples, covering send now, schedule and every condition kind", () => {
    const examples = examplesOf(operation.requestBody.content["application/json"]);
    const text = JSON.stringify(examples);
    expect(examples.length).toBeGreaterThanOrEqual(4);
    for (const kind of [
      '"method":"now"',
      '"method":"schedule"',
      '"type":"property"',
      '"type":"optIn"',
      '"type":"activity"',
    ]) {
      expect(text).toContain(kind);
    }
  });

  test.each([
    [
      "the reference page's request",
      {
        ...valid,
        campaignGroupId: "clq3b7s9u007yl70u9v0w1x2y",
        audienceSegmentId: "clr4c8t0v008yl70x3y4z5a6b",
        scheduling: { method: "schedule", timestamp: "2026-04-01T09:00:00.000Z" },
      },
    ],
    ["null mailingListId", { ...valid, mailingListId: null }],
    ["null audienceSegmentId", { ...valid, audienceSegmentId: null }],
    ["null audienceFilter", { ...valid, audienceFilter: null }],
    ["segment and filter together", { ...valid, audienceSegmentId: "seg", audienceFilter: filter }],
    ["send now without timestamp", { ...valid, scheduling: { method: "now" } }],
    [
      "a compare condition without value",
      {
        ...valid,
        audienceFilter: { match: "any", conditions: [{ ...property, operator: "equals" }] },
      },
    ],
    [
      "a numeric compare value",
      {
        ...valid,
        audienceFilter: {
          match: "any",
          conditions: [{ ...property, operator: "greaterThan", value: 3 }],
        },
      },
    ],
    [
      "between with a date range",
      {
        ...valid,
        audienceFilter: {
          match: "all",
          conditions: [
            {
              ...property,
              operator: "between",
              value: { from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z" },
            },
          ],
        },
      },
    ],
    [
      "optIn status null",
      { ...valid, audienceFilter: { match: "all", conditions: [{ type: "optIn", status: null }] } },
    ],
    [
      "an activity condition",
      {
        ...valid,
        audienceFilter: {
          match: "all",
          conditions: [
            {
              type: "activity",
              action: "clicked",
              negate: false,
              target: "workflowEmail",
              id: "x",
            },
          ],
        },
      },
    ],
  ])("accepts %s", (_, body) => expect(isValidRequest(body)).toBe(true));

  test.each([
    ["no name", {}],
    ["a non-string name", { name: 42 }],
    ["an unknown field", { ...valid, subject: "Hi" }],
    ["a null campaignGroupId", { ...valid, campaignGroupId: null }],
    ["schedule without timestamp", { ...valid, scheduling: { method: "schedule" } }],
    [
      "now with a timestamp",
      { ...valid, scheduling: { method: "now", timestamp: "2026-04-01T09:00:00Z" } },
    ],
    ["an unknown scheduling method", { ...valid, scheduling: { method: "later" } }],
    [
      "a timestamp that is not a date-time",
      { ...valid, scheduling: { method: "schedule", timestamp: "next Tuesday" } },
    ],
    ["an unknown scheduling field", { ...valid, scheduling: { method: "now", timezone: "UTC" } }],
    ["null scheduling", { ...valid, scheduling: null }],
    ["an unknown match", { ...valid, audienceFilter: { ...filter, match: "some" } }],
    ["no conditions", { ...valid, audienceFilter: { match: "all", conditions: [] } }],
    ["an unknown filter field", { ...valid, audienceFilter: { ...filter, negate: true } }],
    [
      "an unknown condition kind",
      { ...valid, audienceFilter: { match: "all", conditions: [{ type: "tag", key: "vip" }] } },
    ],
    [
      "an unknown operator",
      {
        ...valid,
        audienceFilter: {
          match: "all",
          conditions: [{ ...property, operator: "startsWith", value: "p" }],
        },
      },
    ],
    [
      "a value on isTrue",
      {
        ...valid,
        audienceFilter: {
          match: "all",
          conditions: [{ ...property, operator: "isTrue", value: "yes" }],
        },
      },
    ],
    [
      "between without a range",
      {
        ...valid,
        audienceFilter: {
          match: "all",
          conditions: [{ ...property, operator: "between", value: "2026" }],
        },
      },
    ],
    [
      "a condition without key",
      {
        ...valid,
        audienceFilter: { match: "all", conditions: [{ type: "property", operator: "empty" }] },
      },
    ],
    [
      "an unknown optIn status",
      {
        ...valid,
        audienceFilter: { match: "all", conditions: [{ type: "optIn", status: "maybe" }] },
      },
    ],
    [
      "an activity without negate",
      {
        ...valid,
        audienceFilter: {
          match: "all",
          conditions: [{ type: "activity", action: "sent", target: "campaign", id: "x" }],
        },
      },
    ],
    [
      "an unknown activity target",
      {
        ...valid,
        audienceFilter: {
          match: "all",
          conditions: [
            { type: "activity", action: "sent", negate: false, target: "list", id: "x" },
          ],
        },
      },
    ],
  ])("rejects %s", (_, body) => expect(isValidRequest(body)).toBe(false));

  test("lists exactly the 16 property operators Loops documents", () => {
    const schemas = contract.components.schemas;
    const operators = [
      "PropertyCompareCondition",
      "PropertyPresenceCondition",
      "PropertyBetweenCondition",
    ].flatMap(
      (name) => schemas[name].properties.operator.enum ?? [schemas[name].properties.operator.const],
    );
    expect(operators.sort()).toEqual(
      [
        "any",
        "contains",
        "notContains",
        "equals",
        "notEquals",
        "greaterThan",
        "lessThan",
        "isTrue",
        "isFalse",
        "empty",
        "notEmpty",
        "dateEmpty",
        "dateNotEmpty",
        "after",
        "before",
        "between",
      ].sort(),
    );
  });
});

describe("the 201 response", () => {
  const examples = examplesOf(jsonOf("201"));
  const reference = examples.find(({ name }) => name === "scheduled")?.value as Record<
    string,
    unknown
  >;
  const FIELDS = [
    "id",
    "name",
    "status",
    "createdAt",
    "updatedAt",
    "emailMessageId",
    "emailMessageContentRevisionId",
    "campaignGroupId",
    "mailingListId",
    "audienceSegmentId",
    "audienceFilter",
    "scheduling",
  ];

  test.each(examples)("accepts the named example $name", ({ value }) =>
    expect(isValidCreated(value)).toBe(true),
  );

  test("carries the reference page's example as is", () => {
    expect(reference).toEqual({
      id: "cln0y4p6r003yl70i1j2k3l4m",
      name: "Spring announcement",
      status: "Draft",
      createdAt: "2026-03-28T15:00:00.000Z",
      updatedAt: "2026-03-28T15:00:00.000Z",
      emailMessageId: "cmn5zia4i0017tzli8ric8giv",
      emailMessageContentRevisionId: "clv8g2x4z012yl70n5o6p7q8r",
      campaignGroupId: "clq3b7s9u007yl70u9v0w1x2y",
      mailingListId: null,
      audienceSegmentId: "clr4c8t0v008yl70x3y4z5a6b",
      audienceFilter: null,
      scheduling: { method: "schedule", timestamp: "2026-04-01T09:00:00.000Z" },
    });
  });

  test("requires exactly the 12 documented fields", () => {
    const [fields] = contract.components.schemas.CreatedCampaign.allOf;
    expect([...fields.required].sort()).toEqual([...FIELDS].sort());
  });

  test.each(FIELDS)("rejects a body without %s", (field) => {
    const { [field]: _, ...rest } = reference;
    expect(isValidCreated(rest)).toBe(false);
  });

  test.each([
    "emailMessageId",
    "emailMessageContentRevisionId",
    "campaignGroupId",
    "mailingListId",
    "audienceSegmentId",
    "audienceFilter",
  ])("accepts null %s", (field) =>
    expect(isValidCreated({ ...reference, [field]: null })).toBe(true),
  );

  test.each([
    ["a status other than Draft", { status: "Scheduled" }],
    ["a null id", { id: null }],
    ["a createdAt that is not a date-time", { createdAt: "yesterday" }],
    ["null scheduling", { scheduling: null }],
    [
      "now with a timestamp",
      { scheduling: { method: "now", timestamp: "2026-04-01T09:00:00.000Z" } },
    ],
    ["schedule with a null timestamp", { scheduling: { method: "schedule", timestamp: null } }],
    ["scheduling without timestamp", { scheduling: { method: "now" } }],
  ])("rejects %s", (_, change) => expect(isValidCreated({ ...reference, ...change })).toBe(false));

  test("accepts fields it does not know yet, such as url", () => {
    expect(
      isValidCreated({ ...reference, url: "https://app.loops.so/campaigns/x", sendAt: 1 }),
    ).toBe(true);
  });

  test("knows the four campaign statuses", () => {
    expect(contract.components.schemas.Campaign.properties.status.enum).toEqual([
      "Draft",
      "Scheduled",
      "Sending",
      "Sent",
    ]);
  });
});

describe("the error responses", () => {
  test.each(["400", "401", "404", "429"])(
    "%s has a JSON body that requires message and tolerates more",
    (status) => {
      const media = jsonOf(status);
      const isValid = validator(media.schema.$ref.split("/").pop());
      expect(isValid({ message: "x", success: false, error: "x", requestId: "r" })).toBe(true);
      expect(isValid({ success: false })).toBe(false);
      for (const { value } of examplesOf(media)) expect(isValid(value)).toBe(true);
    },
  );

  test("401 documents success: false and the deprecated error field", () => {
    const schema = contract.components.schemas[jsonOf("401").schema.$ref.split("/").pop()];
    expect(schema.properties.success.const).toBe(false);
    expect(schema.properties.error.deprecated).toBe(true);
  });

  test("405 has no body", () => expect(jsonOf("405")).toBeUndefined());
});
