import {
  APIError,
  AuthenticationError,
  BadRequestError,
  type CreateCampaignRequest,
  LoopsError,
} from "@loops-contract/client";
import { describe, expect, test } from "vitest";
import { request } from "./support/contract.js";
import {
  againstMock,
  apiKey,
  clientFor,
  type Exchange,
  expectConformingResponse,
  jsonHeaders,
  sendRaw,
  type Tamper,
} from "./support/exchange.js";

const valid = { name: "Spring announcement" };
const future = "2030-04-01T09:00:00.000Z";
const compare = { type: "property", key: "plan", operator: "equals", value: "pro" };
const activity = { type: "activity", action: "opened", negate: true, target: "campaign", id: "c1" };
const between = {
  type: "property",
  key: "createdAt",
  operator: "between",
  value: { from: "2026-01-01T00:00:00.000Z", to: "2026-03-31T23:59:59.000Z" },
};
const filterWith = (condition: unknown) => ({
  ...valid,
  audienceFilter: { match: "all", conditions: [condition] },
});

interface BadRequest {
  name: string;
  /** A JSON value the schema refuses (sent as JSON), or the raw text to send. */
  body: unknown;
  raw?: string;
  headers?: Record<string, string>;
  status: 400 | 401;
}

/** Bodies the schema refuses: each must also fail ajv, so the table cannot drift from the contract. */
const badBodies: BadRequest[] = [
  { name: "empty object (no name)", body: {} },
  { name: "no name, other fields set", body: { campaignGroupId: "g1", mailingListId: "l1" } },
  { name: "name is a number", body: { name: 42 } },
  { name: "name is null", body: { name: null } },
  { name: "name is an array", body: { name: ["Spring"] } },
  { name: "campaignGroupId is null (not nullable)", body: { ...valid, campaignGroupId: null } },
  { name: "campaignGroupId is a number", body: { ...valid, campaignGroupId: 7 } },
  { name: "mailingListId is a number", body: { ...valid, mailingListId: 7 } },
  { name: "audienceSegmentId is a boolean", body: { ...valid, audienceSegmentId: true } },
  { name: "unknown field at the top", body: { ...valid, subject: "Hello" } },
  {
    name: "unknown field in scheduling",
    body: { ...valid, scheduling: { method: "now", at: future } },
  },
  {
    name: "unknown field in audienceFilter",
    body: { ...valid, audienceFilter: { match: "all", conditions: [compare], limit: 5 } },
  },
  { name: "unknown field in a condition", body: filterWith({ ...compare, caseSensitive: true }) },
  {
    name: "unknown field in a date range",
    body: filterWith({ ...between, value: { ...between.value, timezone: "UTC" } }),
  },
  {
    name: "scheduling method not in the enum",
    body: { ...valid, scheduling: { method: "later" } },
  },
  { name: "schedule without timestamp", body: { ...valid, scheduling: { method: "schedule" } } },
  {
    name: "now with a timestamp",
    body: { ...valid, scheduling: { method: "now", timestamp: future } },
  },
  {
    name: "timestamp is not a date",
    body: { ...valid, scheduling: { method: "schedule", timestamp: "next Tuesday" } },
  },
  {
    name: "timestamp is a date without a time",
    body: { ...valid, scheduling: { method: "schedule", timestamp: "2030-04-01" } },
  },
  { name: "scheduling is null (not nullable)", body: { ...valid, scheduling: null } },
  {
    name: "match not in the enum",
    body: { ...valid, audienceFilter: { match: "some", conditions: [compare] } },
  },
  {
    name: "empty conditions",
    body: { ...valid, audienceFilter: { match: "all", conditions: [] } },
  },
  {
    name: "conditions is an object",
    body: { ...valid, audienceFilter: { match: "all", conditions: compare } },
  },
  { name: "unknown condition kind", body: filterWith({ type: "tag", tag: "vip" }) },
  {
    name: "property condition without key",
    body: filterWith({ type: "property", operator: "isTrue" }),
  },
  {
    name: "activity condition without negate",
    body: filterWith({ type: "activity", action: "opened", target: "campaign", id: "c1" }),
  },
  { name: "activity action not in the enum", body: filterWith({ ...activity, action: "bounced" }) },
  { name: "optIn status not in the enum", body: filterWith({ type: "optIn", status: "maybe" }) },
  {
    name: "property operator not in the enum",
    body: filterWith({ ...compare, operator: "matches" }),
  },
  {
    name: "isTrue with a value",
    body: filterWith({ type: "property", key: "vip", operator: "isTrue", value: "yes" }),
  },
  {
    name: "between without a value",
    body: filterWith({ type: "property", key: "createdAt", operator: "between" }),
  },
  { name: "between with a plain value", body: filterWith({ ...between, value: "2026-01-01" }) },
  {
    name: "date range bound is not a date",
    body: filterWith({ ...between, value: { from: "yesterday", to: between.value.to } }),
  },
  { name: "audienceFilter is a string", body: { ...valid, audienceFilter: "plan = pro" } },
  { name: "the body is an array", body: [valid] },
].map((row) => ({ ...row, status: 400 as const }));

/** What is wrong is not the JSON value but the bytes or headers around it. */
const badRequests: BadRequest[] = [
  { name: "malformed JSON", body: valid, raw: '{"name": "Spring', status: 400 },
  { name: "empty body", body: valid, raw: "", status: 400 },
  {
    name: "wrong content type (text/plain)",
    body: valid,
    headers: { ...jsonHeaders, "content-type": "text/plain" },
    status: 400,
  },
  {
    name: "wrong content type (form)",
    body: valid,
    raw: "name=Spring",
    headers: { ...jsonHeaders, "content-type": "application/x-www-form-urlencoded" },
    status: 400,
  },
  {
    name: "no Authorization",
    body: valid,
    headers: { "content-type": "application/json" },
    status: 401,
  },
  {
    name: "Basic scheme",
    body: valid,
    headers: { ...jsonHeaders, authorization: `Basic ${btoa(`user:${apiKey}`)}` },
    status: 401,
  },
  {
    name: "Token scheme",
    body: valid,
    headers: { ...jsonHeaders, authorization: `Token ${apiKey}` },
    status: 401,
  },
  {
    name: "Bearer without a key",
    body: valid,
    headers: { ...jsonHeaders, authorization: "Bearer" },
    status: 401,
  },
];

const table = [...badBodies, ...badRequests];

/** Makes the client's request into the bad one: the client itself never sends these. */
function tamperFor(row: BadRequest): Tamper | undefined {
  if (row.raw === undefined && row.headers === undefined) return undefined;
  return (_request, body) => ({
    body: row.raw ?? body,
    ...(row.headers === undefined ? {} : { headers: new Headers(row.headers) }),
  });
}

const errorClass = { 400: BadRequestError, 401: AuthenticationError } as const;

describe("requests that do not conform are rejected", () => {
  test("the table is big enough and every bad body really breaks the contract", () => {
    expect(table.length).toBeGreaterThanOrEqual(25);
    for (const row of badBodies) {
      expect(request.validate(row.body), row.name).toBe(false);
    }
  });

  test.each(table)("$name: $status with a conforming error body (raw fetch)", async (row) => {
    const observed = await sendRaw({
      body: row.raw ?? JSON.stringify(row.body),
      ...(row.headers === undefined ? {} : { headers: row.headers }),
    });
    expect(observed.status).toBe(row.status);
    expectConformingResponse(observed, row.name);
  });

  test.each(table)("$name: the client surfaces it as a typed error", async (row) => {
    const exchanges: Exchange[] = [];
    const client = clientFor(exchanges, { tamper: tamperFor(row) });
    const outcome = await client.campaigns.create(row.body as CreateCampaignRequest).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(outcome).toBeInstanceOf(errorClass[row.status]);
    const error = outcome as APIError;
    expect(error).toBeInstanceOf(APIError);
    expect(error).toBeInstanceOf(LoopsError);
    expect(error.status).toBe(row.status);
    expect(error.message.length).toBeGreaterThan(0);
    expect(error.message).not.toContain(apiKey);
    expect(error.body).toEqual(JSON.parse((exchanges[0] as Exchange).response.text));
    expect(exchanges).toHaveLength(1);
  });
});

describe("a rejected body's error names what is wrong", () => {
  const cases = [
    { fault: "an unknown field", body: { ...valid, subject: "Hello" }, names: /'subject'/ },
    { fault: "no name", body: { campaignGroupId: "g1" }, names: /'name'/ },
    {
      fault: "schedule without timestamp",
      body: { ...valid, scheduling: { method: "schedule" } },
      names: /scheduling.*'timestamp'/,
    },
    {
      fault: "a value on isTrue",
      body: filterWith({ type: "property", key: "vip", operator: "isTrue", value: 1 }),
      names: /conditions\.0.*'value'/,
    },
  ];

  test.skipIf(!againstMock).each(cases)(
    `$fault: the client's BadRequestError says so — ${againstMock ? "mock" : "the mock's wording"}`,
    async ({ body, names }) => {
      const error = await clientFor([])
        .campaigns.create(body as CreateCampaignRequest)
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BadRequestError);
      expect((error as BadRequestError).message).toMatch(names);
    },
  );
});
