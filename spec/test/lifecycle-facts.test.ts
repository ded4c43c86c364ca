// The facts of the campaign lifecycle (the 14 operations around "Create a campaign"), checked
// against the bundle with an independent JSON Schema 2020-12 validator (ajv): operations, statuses,
// extensions, shapes, examples, and the bodies in test-data/invalid-bodies that must be rejected.
import { readdirSync } from "node:fs";
import { basename } from "node:path";
import {
  operations as contractOperations,
  deref,
  contract as document,
  getOperation,
  invalidBodies,
  validatorAt,
} from "@loops-contract/spec";
import { describe, expect, test } from "vitest";

// The bundle as JSON.parse gives it, walked by the facts below as a reader would.
type Json = ReturnType<typeof JSON.parse>;
const contract: Json = document;
/** Follows a `$ref` of the bundle, untyped like the rest of this walk. */
const resolve = (node: Json): Json => deref(node);

/** A validator for a schema as written in the bundle: a local `$ref`, as every body schema is. */
const validatorFor = (schema: Json) => {
  if (typeof schema.$ref !== "string")
    throw new Error("Body schemas are components: expected a $ref");
  const validate = validatorAt(schema.$ref);
  return (value: unknown) => validate(value) as boolean;
};
const schemaNamed = (name: string) => validatorFor({ $ref: `#/components/schemas/${name}` });
const examplesOf = (media: Json) =>
  Object.entries(media.examples as Record<string, Json>).map(([name, example]) => ({
    name,
    value: resolve(example).value,
  }));

/** The maps of names to string values, where any name is a valid key. */
const MAPS = [
  "contactPropertiesFallbacks",
  "eventPropertiesFallbacks",
  "dataVariablesFallbacks",
  "contactProperties",
  "eventProperties",
  "dataVariables",
];

const operations = contractOperations.map(({ path, method, pointer }) => ({
  path,
  method,
  operation: resolve({ $ref: `#${pointer}` }) as Json,
}));
const byId = (id: string) => {
  const { path, method, pointer } = getOperation(id);
  return { path, method, operation: resolve({ $ref: `#${pointer}` }) as Json };
};

const CAMPAIGN_TAGS = ["Campaigns", "Email messages", "Campaign groups", "Audience segments"];

// Loops' operationIds, the methods and paths of the facts sheet, and our SDK names and retry rule.
const LIFECYCLE = [
  ["listCampaigns", "get", "/v1/campaigns", "Campaigns", "campaigns.list", true],
  ["getCampaign", "get", "/v1/campaigns/{campaignId}", "Campaigns", "campaigns.get", true],
  ["updateCampaign", "post", "/v1/campaigns/{campaignId}", "Campaigns", "campaigns.update", true],
  [
    "getEmailMessage",
    "get",
    "/v1/email-messages/{emailMessageId}",
    "Email messages",
    "emailMessages.get",
    true,
  ],
  [
    "updateEmailMessage",
    "post",
    "/v1/email-messages/{emailMessageId}",
    "Email messages",
    "emailMessages.update",
    false,
  ],
  [
    "previewEmailMessage",
    "post",
    "/v1/email-messages/{emailMessageId}/preview",
    "Email messages",
    "emailMessages.preview",
    false,
  ],
  [
    "getEmailMessageGuardian",
    "get",
    "/v1/email-messages/{emailMessageId}/guardian",
    "Email messages",
    "emailMessages.guardian",
    true,
  ],
  [
    "listCampaignGroups",
    "get",
    "/v1/campaign-groups",
    "Campaign groups",
    "campaignGroups.list",
    true,
  ],
  [
    "createCampaignGroup",
    "post",
    "/v1/campaign-groups",
    "Campaign groups",
    "campaignGroups.create",
    false,
  ],
  [
    "getCampaignGroup",
    "get",
    "/v1/campaign-groups/{campaignGroupId}",
    "Campaign groups",
    "campaignGroups.get",
    true,
  ],
  [
    "updateCampaignGroup",
    "post",
    "/v1/campaign-groups/{campaignGroupId}",
    "Campaign groups",
    "campaignGroups.update",
    true,
  ],
  [
    "listAudienceSegments",
    "get",
    "/v1/audience-segments",
    "Audience segments",
    "audienceSegments.list",
    true,
  ],
  [
    "getAudienceSegment",
    "get",
    "/v1/audience-segments/{audienceSegmentId}",
    "Audience segments",
    "audienceSegments.get",
    true,
  ],
  [
    "createAudienceSegment",
    "post",
    "/v1/audience-segments",
    "Audience segments",
    "audienceSegments.create",
    false,
  ],
] as const;
const LIFECYCLE_IDS = LIFECYCLE.map(([id]) => id);

// The statuses of each operation, as the facts sheet lists them (401, 405 and 429 on every one).
const STATUSES: Record<(typeof LIFECYCLE_IDS)[number], string[]> = {
  listCampaigns: ["200", "400"],
  getCampaign: ["200", "400", "404"],
  updateCampaign: ["200", "400", "404", "409"],
  getEmailMessage: ["200", "400", "404", "409"],
  updateEmailMessage: ["200", "400", "404", "409", "413", "422"],
  previewEmailMessage: ["200", "400", "404"],
  getEmailMessageGuardian: ["200", "400", "404", "409"],
  listCampaignGroups: ["200", "400"],
  createCampaignGroup: ["200", "400"],
  getCampaignGroup: ["200", "400", "404"],
  updateCampaignGroup: ["200", "400", "404"],
  listAudienceSegments: ["200", "400"],
  getAudienceSegment: ["200", "400", "404"],
  createAudienceSegment: ["200", "400", "404"],
};

describe("the operations", () => {
  test("the campaign tags hold the 14 of the lifecycle plus create, each path once per method", () => {
    const campaignOperations = operations.filter(({ operation }) =>
      CAMPAIGN_TAGS.includes(operation.tags[0]),
    );
    expect(campaignOperations.map(({ operation }) => operation.operationId).sort()).toEqual(
      [...LIFECYCLE_IDS, "createCampaign"].sort(),
    );
  });

  test.each(LIFECYCLE)(
    "%s is %s %s, tagged %s, SDK method %s, idempotent: %s",
    (id, method, path, tag, sdkMethod, idempotent) => {
      const found = byId(id);
      expect([found.method, found.path]).toEqual([method, path]);
      expect(found.operation.tags).toEqual([tag]);
      expect(found.operation["x-sdk-method"]).toBe(sdkMethod);
      expect(found.operation["x-idempotent"]).toBe(idempotent);
      expect(found.operation.summary.length).toBeGreaterThan(0);
    },
  );

  test("the four campaign tags come first, with descriptions, in the order of the workflow", () => {
    expect(contract.tags.slice(0, 4).map((tag: Json) => tag.name)).toEqual(CAMPAIGN_TAGS);
    for (const tag of contract.tags.slice(0, 4)) expect(tag.description.length).toBeGreaterThan(50);
  });

  test("SDK method names are unique", () => {
    const names = operations.map(({ operation }) => operation["x-sdk-method"]).filter(Boolean);
    expect(new Set(names).size).toBe(names.length);
  });

  test.each(LIFECYCLE_IDS)("%s needs a bearer key", (id) => {
    expect(byId(id).operation.security).toEqual([{ bearerAuth: [] }]);
  });

  test.each(LIFECYCLE_IDS)("%s documents exactly the statuses of the facts sheet", (id) => {
    const expected = [...STATUSES[id], "401", "405", "429"].sort();
    expect(Object.keys(byId(id).operation.responses).sort()).toEqual(expected);
  });

  test.each(LIFECYCLE_IDS)("%s says in its description whether a retry is safe", (id) => {
    const { operation } = byId(id);
    expect(operation.description).toMatch(
      operation["x-idempotent"] ? /\*\*Safe to retry\.\*\*/ : /\*\*Not (safe to retry|idempotent)/,
    );
  });

  test("the workflow guide is in the contract's own description, every step named", () => {
    const steps = [
      "Create a campaign",
      "Update an email message",
      "Run Guardian checks",
      "Send a preview",
      "Update a campaign",
      "Get a campaign",
    ];
    const positions = steps.map((step) => contract.info.description.indexOf(step));
    expect(positions.every((at) => at >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });
});

describe("every response of the lifecycle", () => {
  const responses = LIFECYCLE_IDS.flatMap((id) =>
    Object.entries(byId(id).operation.responses as Record<string, Json>).map(
      ([status, response]) => ({ id, status, response: resolve(response) }),
    ),
  );

  test.each(responses)("$id $status declares the two rate-limit headers", ({ response }) => {
    expect(Object.keys(response.headers)).toEqual(
      expect.arrayContaining(["x-ratelimit-limit", "x-ratelimit-remaining"]),
    );
    for (const header of Object.values(response.headers as Record<string, Json>)) {
      expect(resolve(header).required).toBe(true);
    }
  });

  const withBody = responses.filter(({ status }) => status !== "405");
  test.each(withBody)("$id $status has named examples its schema accepts", ({ response }) => {
    const media = response.content["application/json"];
    const isValid = validatorFor(media.schema);
    const examples = examplesOf(media);
    expect(examples.length).toBeGreaterThan(0);
    for (const { name, value } of examples) expect(isValid(value), name).toBe(true);
  });

  test.each(responses.filter(({ status }) => status === "405"))(
    "$id 405 has no body",
    ({ response }) => expect(response.content).toBeUndefined(),
  );

  const errors = withBody.filter(({ status }) => status >= "400");
  test.each(errors)("$id $status requires message and tolerates more fields", ({ response }) => {
    const isValid = validatorFor(response.content["application/json"].schema);
    expect(isValid({ message: "x", success: false, requestId: "r" })).toBe(true);
    expect(isValid({ error: "x" })).toBe(false);
  });

  // Clients must tolerate fields Loops adds later: a field added to any object of any response
  // example keeps it valid. Create's 201 keeps the closed filter it was released with in 1.0.0.
  const successes = withBody.filter(({ status }) => status < "400");
  test.each(successes)(
    "$id $status accepts a new field on every object of its examples",
    ({ response }) => {
      const media = response.content["application/json"];
      const isValid = validatorFor(media.schema);
      for (const { name, value } of examplesOf(media)) {
        for (const [where, widened] of withFieldAddedAtEachObject(value, MAPS)) {
          expect(isValid(widened), `${name} at ${where}`).toBe(true);
        }
      }
    },
  );
});

/** Each copy of `value` with one unknown field added to one of its objects (maps excluded). */
function withFieldAddedAtEachObject(value: unknown, maps: string[] = []): [string, unknown][] {
  const copies: [string, unknown][] = [];
  const visit = (node: unknown, path: (string | number)[]) => {
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) visit(item, [...path, index]);
    } else if (node !== null && typeof node === "object") {
      if (!maps.includes(String(path.at(-1)))) {
        const copy = structuredClone(value) as Json;
        const target = path.reduce((at: Json, key) => at[key], copy);
        target.addedLater = { by: "Loops" };
        copies.push([`/${path.join("/")}`, copy]);
      }
      for (const [key, child] of Object.entries(node)) visit(child, [...path, key]);
    }
  };
  visit(value, []);
  return copies;
}

describe("the request bodies", () => {
  const withBody = LIFECYCLE_IDS.filter((id) => byId(id).operation.requestBody).map((id) => {
    const media = byId(id).operation.requestBody.content["application/json"];
    return { id, media, isValid: validatorFor(media.schema) };
  });

  test("exist on the five writes and the preview, each required, JSON only", () => {
    expect(withBody.map(({ id }) => id).sort()).toEqual(
      [
        "updateCampaign",
        "updateEmailMessage",
        "previewEmailMessage",
        "createCampaignGroup",
        "updateCampaignGroup",
        "createAudienceSegment",
      ].sort(),
    );
    for (const { id } of withBody) {
      const { requestBody } = byId(id).operation;
      expect(requestBody.required).toBe(true);
      expect(Object.keys(requestBody.content)).toEqual(["application/json"]);
    }
  });

  test.each(withBody)("$id has at least two named examples, each valid", ({ media, isValid }) => {
    const examples = examplesOf(media);
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const { name, value } of examples) expect(isValid(value), name).toBe(true);
  });

  test.each(withBody)(
    "$id rejects an unknown field on every object of its examples",
    ({ media, isValid }) => {
      for (const { name, value } of examplesOf(media)) {
        for (const [where, widened] of withFieldAddedAtEachObject(value, MAPS)) {
          expect(isValid(widened), `${name} at ${where}`).toBe(false);
        }
      }
    },
  );

  const invalidDir = new URL("../test-data/invalid-bodies/", import.meta.url);
  const tables = readdirSync(invalidDir).map((file) => {
    const id = basename(file, ".yaml");
    return { id, rows: invalidBodies(id) };
  });
  const rows = tables.flatMap(({ id, rows }) => rows.map((row) => ({ id, ...row })));
  test.each(rows)("$id rejects $name", ({ id, body }) => {
    const isValid = validatorFor(byId(id).operation.requestBody.content["application/json"].schema);
    expect(isValid(body)).toBe(false);
  });
});

describe("campaigns", () => {
  const CAMPAIGN_FIELDS = [
    "id",
    "name",
    "status",
    "createdAt",
    "updatedAt",
    "emailMessageId",
    "campaignGroupId",
    "mailingListId",
    "audienceSegmentId",
    "audienceFilter",
    "scheduling",
  ];
  const isCampaign = schemaNamed("Campaign");
  const isCreated = schemaNamed("CreatedCampaign");
  const campaign = examplesOf(
    resolve(byId("getCampaign").operation.responses["200"]).content["application/json"],
  )[0]?.value as Json;

  test("Campaign requires exactly its 11 fields; url is documented but optional", () => {
    const schema = contract.components.schemas.Campaign;
    expect([...schema.required].sort()).toEqual([...CAMPAIGN_FIELDS].sort());
    expect(schema.properties.url).toBeDefined();
    expect(schema.properties.emailMessageContentRevisionId).toBeUndefined();
    const { url: _, ...withoutUrl } = campaign;
    expect(isCampaign(withoutUrl)).toBe(true);
  });

  test.each(CAMPAIGN_FIELDS)("a Campaign without %s is rejected", (field) => {
    const { [field]: _, ...rest } = campaign;
    expect(isCampaign(rest)).toBe(false);
  });

  test("only the created campaign carries emailMessageContentRevisionId, and is always Draft", () => {
    const created = { ...campaign, status: "Draft", emailMessageContentRevisionId: "rev" };
    expect(isCreated(created)).toBe(true);
    expect(isCreated({ ...created, status: "Scheduled" })).toBe(false);
    const { emailMessageContentRevisionId: _, ...withoutRevision } = created;
    expect(isCreated(withoutRevision)).toBe(false);
    expect(isCampaign({ ...campaign, status: "Sent" })).toBe(true);
  });

  test("every campaign example of the lifecycle carries url, as the live API sends it", () => {
    const campaignsIn = (id: string) =>
      examplesOf(resolve(byId(id).operation.responses["200"]).content["application/json"]).flatMap(
        ({ value }) => (Array.isArray(value.data) ? value.data : [value]),
      );
    const all = ["listCampaigns", "getCampaign", "updateCampaign"].flatMap(campaignsIn);
    expect(all.length).toBeGreaterThan(5);
    for (const each of all) expect(each.url).toMatch(/^https:\/\/app\.loops\.so\/campaigns\//);
  });

  test("get, list and update return Campaign; create returns CreatedCampaign", () => {
    const schemaOf = (id: string, status: string) =>
      resolve(byId(id).operation.responses[status]).content["application/json"].schema.$ref;
    expect(schemaOf("getCampaign", "200")).toBe("#/components/schemas/Campaign");
    expect(schemaOf("updateCampaign", "200")).toBe("#/components/schemas/Campaign");
    expect(contract.components.schemas.CampaignList.properties.data.items.$ref).toBe(
      "#/components/schemas/Campaign",
    );
    expect(schemaOf("createCampaign", "201")).toBe("#/components/schemas/CreatedCampaign");
  });
});

describe("the update bodies", () => {
  const isCampaignUpdate = schemaNamed("UpdateCampaignRequest");
  const isGroupUpdate = schemaNamed("UpdateCampaignGroupRequest");
  const isMessageUpdate = schemaNamed("UpdateEmailMessageRequest");

  test("updating a campaign takes create's six fields, none required, at least one", () => {
    const update = contract.components.schemas.UpdateCampaignRequest;
    const create = contract.components.schemas.CreateCampaignRequest;
    expect(Object.keys(update.properties).sort()).toEqual(Object.keys(create.properties).sort());
    expect(update.required).toBeUndefined();
    expect(update.minProperties).toBe(1);
    const { description: _, ...sameAs } = create.properties.audienceSegmentId;
    expect(update.properties.audienceSegmentId).toMatchObject(sameAs);
    for (const field of ["mailingListId", "audienceFilter", "scheduling"]) {
      expect(update.properties[field], field).toEqual(create.properties[field]);
    }
    expect(update.properties.campaignGroupId.type).toBe(create.properties.campaignGroupId.type);
    expect(isCampaignUpdate({ name: "x" })).toBe(true);
    expect(isCampaignUpdate({ mailingListId: null })).toBe(true);
    expect(isCampaignUpdate({})).toBe(false);
  });

  test("updating a group takes name or description, at least one", () => {
    expect(isGroupUpdate({ description: "" })).toBe(true);
    expect(isGroupUpdate({ name: "Launches" })).toBe(true);
    expect(isGroupUpdate({})).toBe(false);
  });

  test("updating an email message: every field optional, expectedRevisionId a string never null", () => {
    const schema = contract.components.schemas.UpdateEmailMessageRequest;
    expect(schema.required).toBeUndefined();
    expect(Object.keys(schema.properties).sort()).toEqual(
      [
        "expectedRevisionId",
        "subject",
        "previewText",
        "fromName",
        "fromEmail",
        "replyToEmail",
        "ccEmail",
        "bccEmail",
        "languageCode",
        "emailFormat",
        "lmx",
        "contactPropertiesFallbacks",
        "eventPropertiesFallbacks",
        "dataVariablesFallbacks",
      ].sort(),
    );
    expect(schema.properties.expectedRevisionId.type).toBe("string");
    expect(isMessageUpdate({ subject: "Hi" })).toBe(true);
    expect(isMessageUpdate({ expectedRevisionId: "r", replyToEmail: "" })).toBe(true);
    expect(isMessageUpdate({ emailFormat: "plain", languageCode: "en", fromEmail: "hi" })).toBe(
      true,
    );
    expect(isMessageUpdate({ contactPropertiesFallbacks: { firstName: "there", old: null } })).toBe(
      true,
    );
  });
});

describe("the audience filter", () => {
  const { schemas } = contract.components;
  test("is one closed shape in every request body, shared by campaigns and segments", () => {
    const filterRef = "#/components/schemas/AudienceFilter";
    expect(schemas.CreateCampaignRequest.properties.audienceFilter.oneOf[0].$ref).toBe(filterRef);
    expect(schemas.UpdateCampaignRequest.properties.audienceFilter.oneOf[0].$ref).toBe(filterRef);
    expect(schemas.CreateAudienceSegmentRequest.properties.filter.$ref).toBe(filterRef);
    expect(schemas.AudienceFilter.additionalProperties).toBe(false);
  });

  test("is one open shape in the lifecycle's responses, for campaigns and segments", () => {
    const filterRef = "#/components/schemas/AudienceFilterResponse";
    expect(schemas.Campaign.properties.audienceFilter.oneOf[0].$ref).toBe(filterRef);
    expect(schemas.AudienceSegment.properties.filter.oneOf[0].$ref).toBe(filterRef);
  });

  // The two trees are written out by hand; this keeps them the same shape but for closedness.
  const CLOSED = [
    "AudienceFilter",
    "AudienceCondition",
    "PropertyCondition",
    "PropertyCompareCondition",
    "PropertyPresenceCondition",
    "PropertyBetweenCondition",
    "OptInCondition",
    "ActivityCondition",
    "DateRange",
  ];
  const structure = (schema: Json, suffix: string): unknown =>
    JSON.parse(
      JSON.stringify(schema, (key, value) =>
        ["title", "description", "additionalProperties"].includes(key) ? undefined : value,
      ).replaceAll(new RegExp(`"(#/components/schemas/\\w+?)${suffix}"`, "g"), '"$1"'),
    );
  test.each(CLOSED)("the response twin of %s has its shape, open", (name) => {
    expect(structure(schemas[`${name}Response`], "Response")).toEqual(structure(schemas[name], ""));
    expect(JSON.stringify(schemas[`${name}Response`])).not.toContain("additionalProperties");
    if (schemas[name].type === "object") expect(schemas[name].additionalProperties).toBe(false);
  });

  test("a segment's filter is required on create and may be null in a response", () => {
    const isCreate = schemaNamed("CreateAudienceSegmentRequest");
    const isSegment = schemaNamed("AudienceSegment");
    const filter = { match: "any", conditions: [{ type: "optIn", status: null }] };
    expect(isCreate({ name: "x", filter })).toBe(true);
    expect(isCreate({ name: "x", filter: null })).toBe(false);
    const segment = {
      id: "s",
      name: "x",
      description: null,
      createdAt: "2026-03-15T08:30:00.000Z",
      updatedAt: "2026-03-15T08:30:00.000Z",
      filter: null,
    };
    expect(isSegment(segment)).toBe(true);
    expect(isSegment({ ...segment, filter: { ...filter, since: "2026" } })).toBe(true);
  });
});

describe("pagination", () => {
  const LISTS = ["listCampaigns", "listCampaignGroups", "listAudienceSegments"];
  const isPagination = schemaNamed("Pagination");
  const last = {
    totalResults: 1,
    returnedResults: 1,
    perPage: 20,
    totalPages: 1,
    nextCursor: null,
    nextPage: null,
  };

  test("Pagination requires its six fields; nextCursor and nextPage are null on the last page", () => {
    expect([...contract.components.schemas.Pagination.required].sort()).toEqual(
      Object.keys(last).sort(),
    );
    expect(isPagination(last)).toBe(true);
    expect(isPagination({ ...last, nextCursor: "c", nextPage: "https://app.loops.so/api/x" })).toBe(
      true,
    );
    for (const field of Object.keys(last)) {
      const { [field as keyof typeof last]: _, ...rest } = last;
      expect(isPagination(rest), field).toBe(false);
    }
  });

  test.each(LISTS)(
    "%s takes perPage and cursor, the shared parameters, and answers a page",
    (id) => {
      const { operation } = byId(id);
      expect(operation.parameters).toEqual([
        { $ref: "#/components/parameters/PerPage" },
        { $ref: "#/components/parameters/Cursor" },
      ]);
      const page = resolve(resolve(operation.responses["200"]).content["application/json"].schema);
      expect(page.required).toEqual(["pagination", "data"]);
      expect(page.properties.pagination.$ref).toBe("#/components/schemas/Pagination");
      expect(page.properties.data.type).toBe("array");
    },
  );

  test.each(LISTS)("%s has a last-page example, whose nextCursor is null", (id) => {
    const media = resolve(byId(id).operation.responses["200"]).content["application/json"];
    const pages = examplesOf(media).map(({ value }) => value);
    expect(pages.some(({ pagination }) => pagination.nextCursor === null)).toBe(true);
    expect(pages.some(({ pagination }) => typeof pagination.nextCursor === "string")).toBe(true);
    for (const { pagination, data } of pages) {
      expect(pagination.returnedResults).toBe(data.length);
      expect(pagination.nextPage === null).toBe(pagination.nextCursor === null);
      if (pagination.nextCursor) expect(pagination.nextPage).toContain(pagination.nextCursor);
    }
  });

  test("perPage is an integer from 10 to 50, 20 by default; cursor a string; both optional", () => {
    const perPage = contract.components.parameters.PerPage;
    const cursor = contract.components.parameters.Cursor;
    expect(perPage).toMatchObject({ name: "perPage", in: "query", required: false });
    expect(perPage.schema).toMatchObject({
      type: "integer",
      minimum: 10,
      maximum: 50,
      default: 20,
    });
    expect(cursor).toMatchObject({ name: "cursor", in: "query", required: false });
    expect(cursor.schema.type).toBe("string");
  });
});

describe("path parameters", () => {
  const withPathParameter = LIFECYCLE_IDS.filter((id) => byId(id).path.includes("{"));
  test.each(withPathParameter)(
    "%s takes its ID as a required string; 400 and 404 documented",
    (id) => {
      const { path, operation } = byId(id);
      const parameters = (operation.parameters as Json[]).map(resolve);
      const names = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name);
      expect(parameters.filter((p) => p.in === "path").map((p) => p.name)).toEqual(names);
      for (const parameter of parameters.filter((p) => p.in === "path")) {
        expect(parameter.required).toBe(true);
        expect(parameter.schema.type).toBe("string");
      }
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(["400", "404"]));
      const invalidId = examplesOf(resolve(operation.responses["400"]).content["application/json"]);
      expect(invalidId.map(({ value }) => value.message)).toContain(`Invalid ${names[0]}`);
    },
  );
});

describe("email messages", () => {
  const isMessage = schemaNamed("EmailMessage");
  const message = examplesOf(
    resolve(byId("getEmailMessage").operation.responses["200"]).content["application/json"],
  ).find(({ name }) => name === "filledIn")?.value as Json;
  const ALWAYS = [
    "id",
    "subject",
    "previewText",
    "fromName",
    "fromEmail",
    "replyToEmail",
    "emailFormat",
    "lmx",
    "contentRevisionId",
    "updatedAt",
  ];

  test("always carries its ten fields; the others only when set", () => {
    expect([...contract.components.schemas.EmailMessage.required].sort()).toEqual(
      [...ALWAYS].sort(),
    );
    const minimal = Object.fromEntries(ALWAYS.map((field) => [field, message[field]]));
    expect(isMessage(minimal)).toBe(true);
    expect(isMessage({ ...minimal, contentRevisionId: null })).toBe(true);
  });

  test("belongs to a campaign or a transactional email, never both", () => {
    expect(isMessage({ ...message, campaignId: "c" })).toBe(true);
    expect(isMessage({ ...message, campaignId: "c", transactionalId: "t" })).toBe(false);
  });

  test("warnings carry rule, severity warning, message and an optional path", () => {
    const warning = { rule: "r", severity: "warning", message: "m" };
    expect(isMessage({ ...message, warnings: [warning] })).toBe(true);
    expect(isMessage({ ...message, warnings: [{ ...warning, path: "p" }] })).toBe(true);
    expect(isMessage({ ...message, warnings: [{ ...warning, severity: "error" }] })).toBe(false);
  });

  test("an update answers 409 (stale revision), 413 (LMX over 100 KB) and 422 (LMX does not compile)", () => {
    const { responses } = byId("updateEmailMessage").operation;
    const names = (status: string) =>
      examplesOf(resolve(responses[status]).content["application/json"]).map(({ name }) => name);
    expect(names("409")).toEqual(
      expect.arrayContaining(["staleRevision", "campaignNotDraft", "mjml", "unparseableContent"]),
    );
    expect(names("413")).toEqual(["lmxTooLarge"]);
    expect(names("422")).toEqual(["lmxDoesNotCompile"]);
  });

  test("a preview needs at least one address; its variables are strings", () => {
    const isPreview = schemaNamed("PreviewEmailMessageRequest");
    expect(isPreview({ emails: ["ada@acme.com"], contactProperties: { firstName: "Ada" } })).toBe(
      true,
    );
    expect(isPreview({ emails: [] })).toBe(false);
    expect(isPreview({ emails: ["ada@acme.com"], dataVariables: { n: 1 } })).toBe(false);
  });

  test("the preview's 429 tells the daily limit apart: x-ratelimit-remaining shows requests left", () => {
    const response = resolve(byId("previewEmailMessage").operation.responses["429"]);
    const bodies = examplesOf(response.content["application/json"]).map(({ name }) => name);
    const remaining = resolve(response.headers["x-ratelimit-remaining"]);
    expect(bodies).toEqual(["rateLimited", "dailyPreviewLimit"]);
    expect(Object.keys(remaining.examples)).toEqual(bodies);
    expect(remaining.examples.rateLimited.value).toBe(0);
    expect(remaining.examples.dailyPreviewLimit.value).toBeGreaterThan(0);
  });
});

describe("Guardian", () => {
  const isRule = schemaNamed("GuardianRule");
  const rule = {
    rule: "missingLinkHrefs",
    title: "Links without a URL",
    description: "Add one.",
    items: [{ label: "Read more" }, { label: "Company", codeName: "companyName" }],
  };

  test("names the 19 known checks", () => {
    expect(contract.components.schemas.KnownGuardianRuleName.enum).toHaveLength(19);
    expect(contract.components.schemas.KnownGuardianRuleName.enum).toContain("bareArrayNodes");
  });

  test("accepts a check Loops adds later, but only as a string", () => {
    expect(isRule(rule)).toBe(true);
    expect(isRule({ ...rule, rule: "brokenVideoEmbeds" })).toBe(true);
    expect(isRule({ ...rule, rule: 42 })).toBe(false);
  });

  test.each(["rule", "title", "description", "items"])("a rule without %s is rejected", (field) => {
    const { [field as keyof typeof rule]: _, ...rest } = rule;
    expect(isRule(rest)).toBe(false);
  });

  test("an item needs a label", () => {
    expect(isRule({ ...rule, items: [{ codeName: "x" }] })).toBe(false);
  });
});

describe("campaign groups and audience segments", () => {
  test("Unsorted is refused as a group name, on create and update", () => {
    const isCreate = schemaNamed("CreateCampaignGroupRequest");
    const isUpdate = schemaNamed("UpdateCampaignGroupRequest");
    expect(isCreate({ name: "Unsorted" })).toBe(false);
    expect(isUpdate({ name: "Unsorted" })).toBe(false);
    expect(isCreate({ name: "Unsorted launches" })).toBe(true);
    expect(isUpdate({ name: "unsorted" })).toBe(true);
  });

  test("a group always has its five fields, description possibly empty", () => {
    const isGroup = schemaNamed("CampaignGroup");
    const group = {
      id: "g",
      name: "Unsorted",
      description: "",
      createdAt: "2026-03-20T10:00:00.000Z",
      updatedAt: "2026-03-20T10:00:00.000Z",
    };
    expect(isGroup(group)).toBe(true);
    for (const field of Object.keys(group)) {
      const { [field as keyof typeof group]: _, ...rest } = group;
      expect(isGroup(rest), field).toBe(false);
    }
  });

  test("a segment name is at most 255 characters, its description at most 1000", () => {
    const isCreate = schemaNamed("CreateAudienceSegmentRequest");
    const filter = { match: "all", conditions: [{ type: "optIn", status: "accepted" }] };
    expect(isCreate({ name: "n".repeat(255), description: "d".repeat(1000), filter })).toBe(true);
    expect(isCreate({ name: "n".repeat(256), filter })).toBe(false);
    expect(isCreate({ name: "n", description: "d".repeat(1001), filter })).toBe(false);
  });

  test("creating a group or a segment answers 200, not 201", () => {
    expect(Object.keys(byId("createCampaignGroup").operation.responses)).toContain("200");
    expect(Object.keys(byId("createAudienceSegment").operation.responses)).toContain("200");
  });
});

describe("code samples", () => {
  const samplesOf = (id: string): { lang: string; source: string }[] =>
    byId(id).operation["x-codeSamples"] ?? [];

  test.each(LIFECYCLE_IDS)("%s has a curl and a TypeScript sample", (id) => {
    expect(
      samplesOf(id)
        .map(({ lang }) => lang)
        .sort(),
    ).toEqual(["TypeScript", "curl"]);
  });

  test.each(LIFECYCLE)(
    "the curl sample of %s calls %s %s with a bearer key",
    (id, method, path) => {
      const curl = samplesOf(id).find(({ lang }) => lang === "curl")?.source ?? "";
      expect(curl).toContain(`-X ${method.toUpperCase()} `);
      const url = /(https:\/\/app\.loops\.so\/api[^\s"]*)/.exec(curl)?.[1] ?? "";
      const pattern = `^https://app\\.loops\\.so/api${path.replace(/\{\w+\}/g, "[^/?]+")}(\\?|$)`;
      expect(url).toMatch(new RegExp(pattern));
      expect(curl).toContain('-H "Authorization: Bearer $LOOPS_API_KEY"');
    },
  );

  const withBody = LIFECYCLE_IDS.filter((id) => byId(id).operation.requestBody);
  test.each(withBody)("the curl sample of %s sends the first named request example", (id) => {
    const curl = samplesOf(id).find(({ lang }) => lang === "curl")?.source ?? "";
    const sent = JSON.parse(/-d '([\s\S]*)'$/.exec(curl)?.[1] ?? "null");
    const [first] = examplesOf(byId(id).operation.requestBody.content["application/json"]);
    expect(sent).toEqual(first?.value);
  });

  test.each(LIFECYCLE)("the TypeScript sample of %s calls its SDK method", (id, ...rest) => {
    const sdkMethod = rest[3];
    const source = samplesOf(id).find(({ lang }) => lang === "TypeScript")?.source ?? "";
    expect(source).toContain('from "@loops-contract/client"');
    expect(source).toContain(`loops.${sdkMethod}(`);
  });
});

describe("the sandbox's model pins the facts it acts on", () => {
  const model = contract["x-sandbox-model"];
  const refusal = (id: string, status: number, name: string) =>
    examplesOf(
      resolve(byId(id).operation.responses[String(status)]).content["application/json"],
    ).some((example) => example.name === name);

  test("the daily preview limit is 100, answered with the preview's 429", () => {
    const quota = byId("previewEmailMessage").operation["x-sandbox"].dailyQuota;
    expect(quota).toEqual({ limit: 100, status: 429, example: "dailyPreviewLimit" });
  });

  test("an lmx over 100 KB is a 413; a stale revision and a campaign that is not a draft are 409s", () => {
    const message = model.resources.emailMessage;
    expect(message.maxBytes.lmx).toMatchObject({ bytes: 100 * 1024, status: 413 });
    expect(message.revision).toMatchObject({
      field: "contentRevisionId",
      expectedField: "expectedRevisionId",
      status: 409,
    });
    expect(message.ownerLock).toMatchObject({ unless: { status: "Draft" }, status: 409 });
    expect(message.patchMaps).toEqual(MAPS.filter((name) => name.endsWith("Fallbacks")));
  });

  test("a sent campaign takes only name and campaignGroupId; a group that does not exist is a 400, a segment a 404", () => {
    const campaign = model.resources.campaign;
    expect(campaign.lock).toMatchObject({
      when: { status: "Sent" },
      allow: ["name", "campaignGroupId"],
      status: 409,
    });
    expect(campaign.references.campaignGroupId.status).toBe(400);
    expect(campaign.references.audienceSegmentId.status).toBe(404);
    expect(campaign.references.mailingListId).toMatchObject({
      resource: "mailingList",
      status: 404,
    });
    expect(campaign.clears).toEqual({
      audienceSegmentId: ["audienceFilter"],
      audienceFilter: ["audienceSegmentId"],
    });
    expect(refusal("updateCampaign", 409, campaign.lock.example)).toBe(true);
  });

  test("Unsorted is every team's reserved group; segment names are unique", () => {
    expect(model.resources.campaignGroup.reserved).toMatchObject({
      match: { name: "Unsorted" },
      status: 400,
    });
    expect(model.resources.audienceSegment.unique.name.status).toBe(400);
    expect(
      refusal("updateCampaignGroup", 400, model.resources.campaignGroup.reserved.example),
    ).toBe(true);
  });

  test.each(["listCampaigns", "listCampaignGroups", "listAudienceSegments"])(
    "%s: the examples' totals count the records they show, newest first",
    (id) => {
      const pages = examplesOf(
        resolve(byId(id).operation.responses["200"]).content["application/json"],
      ).filter((example) => example.value.data.length > 0);
      const records = pages.flatMap((page) => page.value.data);
      for (const page of pages) expect(page.value.pagination.totalResults).toBe(records.length);
      const created = records.map((record: Json) => Date.parse(record.createdAt));
      expect(created).toEqual([...created].sort((a, b) => b - a));
    },
  );
});
