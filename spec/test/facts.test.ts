// Every fact of shared/loops-campaigns-facts.md that the contract encodes, checked against the
// bundle with an independent JSON Schema 2020-12 validator (ajv), not with the linters' view of it.
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, test } from "vitest";

const contract = JSON.parse(readFileSync(new URL("../dist/openapi.json", import.meta.url), "utf8"));
const operation = contract.paths["/v1/campaigns"].post;
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats.default(ajv);
// The whole contract is registered once so that its internal $refs resolve; `components` is
// declared so that strict mode accepts it as the container of the schemas.
ajv.addKeyword("components");
ajv.addSchema({ $id: "contract", components: contract.components });
const validator = (schema: string) => {
  const validate = ajv.getSchema(`contract#/components/schemas/${schema}`);
  if (!validate) throw new Error(`No schema ${schema} in the contract`);
  return (value: unknown) => validate(value) as boolean;
};
const isValidRequest = validator("CreateCampaignRequest");
const isValidCreated = validator("CreatedCampaign");
const examplesOf = (media: { examples: Record<string, { $ref: string }> }) =>
  Object.entries(media.examples).map(([name, { $ref }]) => {
    const example = contract.components.examples[$ref.split("/").pop() as string];
    return { name, value: example.value as Record<string, unknown> };
  });
const jsonOf = (status: string) => {
  const response = operation.responses[status];
  return contract.components.responses[response.$ref.split("/").pop()].content?.[
    "application/json"
  ];
};

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
    for (const response of Object.values(contract.components.responses) as { headers: object }[]) {
      expect(Object.keys(response.headers)).toEqual(["x-ratelimit-limit", "x-ratelimit-remaining"]);
    }
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
