import { getOperation } from "@loops-contract/spec";
import { describe, expect, it } from "vitest";
import { findDrift } from "../src/index.js";

// findDrift reads any operation; create's 201 is the richest response with enums, nullable
// fields and oneOf alternatives (scheduling, audienceFilter).
const operation = getOperation("createCampaign");
const created = operation.responses.find((response) => response.status === "201");
const example = created?.body?.examples[0]?.value as Record<string, unknown>;
const rateLimitHeaders = { "x-ratelimit-limit": "10", "x-ratelimit-remaining": "9" };

function driftOf(body: unknown, headers: Record<string, string> = rateLimitHeaders, status = 201) {
  return findDrift(operation, status, headers, body).map(
    ({ where, location, kind, expected, actual }) => ({ where, location, kind, expected, actual }),
  );
}

function changed(change: (body: Record<string, unknown>) => void): Record<string, unknown> {
  const body = structuredClone(example);
  change(body);
  return body;
}

describe("findDrift", () => {
  it("finds nothing in the contract's own example", () => {
    expect(example).toBeDefined();
    expect(driftOf(example)).toEqual([]);
  });

  it("does not count unknown extra fields as drift, at any depth", () => {
    const body = changed((body) => {
      body.someFieldLoopsAdded = { nested: true };
      (body.scheduling as Record<string, unknown>).timezone = "Europe/Paris";
    });
    expect(driftOf(body)).toEqual([]);
  });

  it("names a missing required field with its type", () => {
    expect(driftOf(changed((body) => delete body.name))).toEqual([
      {
        where: "body",
        location: "/name",
        kind: "missing-field",
        expected: "required field (string)",
        actual: "absent",
      },
    ]);
  });

  it("names a changed type with the expected and actual types, not the value", () => {
    expect(driftOf(changed((body) => (body.createdAt = 1774710000)))).toEqual([
      {
        where: "body",
        location: "/createdAt",
        kind: "type",
        expected: "string",
        actual: "integer",
      },
    ]);
  });

  it("names an unknown enum value with the known ones", () => {
    expect(driftOf(changed((body) => (body.status = "Archived")))).toEqual([
      {
        where: "body",
        location: "/status",
        kind: "enum",
        expected: expect.stringContaining('"Draft"'),
        actual: '"Archived"',
      },
    ]);
  });

  it("names a new value of a oneOf's discriminator with every known one", () => {
    const body = changed((body) => (body.scheduling = { method: "later", timestamp: null }));
    expect(driftOf(body)).toEqual([
      {
        where: "body",
        location: "/scheduling/method",
        kind: "enum",
        expected: 'one of "now", "schedule"',
        actual: '"later"',
      },
    ]);
  });

  it("explains a value that fits no alternative through the closest one", () => {
    const withFilter = created?.body?.examples.find((named) => named.name === "audienceFilter");
    const body = structuredClone(withFilter?.value) as { audienceFilter: Record<string, unknown> };
    expect(driftOf(body)).toEqual([]);
    delete body.audienceFilter.match;
    expect(driftOf(body)).toEqual([
      {
        where: "body",
        location: "/audienceFilter/match",
        kind: "missing-field",
        expected: expect.stringMatching(/^required field/),
        actual: "absent",
      },
    ]);
    expect(driftOf(changed((body) => (body.audienceFilter = 5)))).toEqual([
      {
        where: "body",
        location: "/audienceFilter",
        kind: "type",
        expected: "object or null",
        actual: "integer",
      },
    ]);
  });

  it("never shows free text, even where an enum value is expected", () => {
    const secret = "Dear Ada, your invoice <b>#123</b>";
    const drifts = driftOf(changed((body) => (body.status = secret)));
    expect(drifts).toHaveLength(1);
    expect(JSON.stringify(drifts)).not.toContain("Ada");
    expect(drifts[0]?.actual).toBe("a string (not shown)");
  });

  it("never shows the key, even where a response echoes it where a code is expected", () => {
    const apiKey = "sk-looks-like-a-code";
    const body = changed((body) => {
      body.status = apiKey;
      delete body.createdAt;
    });
    const drifts = findDrift(operation, 201, rateLimitHeaders, body, apiKey);
    expect(drifts.map((drift) => [drift.location, drift.kind, drift.actual])).toEqual([
      ["/createdAt", "missing-field", "absent"],
      ["/status", "enum", "a string (not shown)"],
    ]);
    expect(JSON.stringify(drifts)).not.toContain(apiKey);
  });

  it("names a missing required rate-limit header and a header of the wrong type", () => {
    expect(driftOf(example, { "x-ratelimit-limit": "10" })).toEqual([
      {
        where: "header",
        location: "x-ratelimit-remaining",
        kind: "missing-header",
        expected: expect.stringContaining("integer"),
        actual: "absent",
      },
    ]);
    expect(driftOf(example, { "X-RateLimit-Limit": "ten", "x-ratelimit-remaining": "9" })).toEqual([
      {
        where: "header",
        location: "x-ratelimit-limit",
        kind: "header-value",
        expected: expect.stringContaining("integer"),
        actual: "text",
      },
    ]);
  });

  it("counts a status the operation does not document as drift, naming the documented ones", () => {
    expect(driftOf({ message: "teapot" }, rateLimitHeaders, 418)).toEqual([
      {
        where: "status",
        location: "",
        kind: "undocumented-status",
        expected: expect.stringContaining("201"),
        actual: "418",
      },
    ]);
  });

  it("counts a missing JSON body as drift where the contract documents one", () => {
    expect(driftOf(undefined)).toEqual([
      {
        where: "body",
        location: "",
        kind: "missing-body",
        expected: "a JSON body",
        actual: "no JSON body",
      },
    ]);
  });

  it("takes a Headers object as well as a plain record", () => {
    const headers = new Headers({ "x-ratelimit-limit": "10" });
    const drifts = findDrift(operation, 201, headers, example);
    expect(drifts.map((drift) => `${drift.operationId} ${drift.location}`)).toEqual([
      "createCampaign x-ratelimit-remaining",
    ]);
  });
});
