// Opt-in response validation through the client's pipeline: each kind of drift thrown or warned
// with its exact path, unknown fields tolerated, the key never shown.
import { describe, expect, test, vi } from "vitest";
import { InternalServerError, LoopsError, NotFoundError, RateLimitError } from "../src/index.js";
import { checkResponse, ResponseValidationError } from "../src/validation.js";
import { examples } from "./contract-examples.gen.js";
import { API_KEY, clientWith, jsonResponse, rejectionOf, scriptedFetch } from "./helpers.js";

const rateLimitHeaders = { "x-ratelimit-limit": "10", "x-ratelimit-remaining": "9" };
const campaign = examples.getCampaign.success.draft;
const campaignId = campaign.id;

function answering(
  body: unknown,
  status = 200,
  headers: Record<string, string> = rateLimitHeaders,
) {
  return scriptedFetch(() => jsonResponse(status, body, headers));
}

function withField(field: string, value: unknown): Record<string, unknown> {
  return { ...campaign, [field]: value };
}

function without(field: string): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...campaign };
  delete copy[field];
  return copy;
}

async function thrownBy(fetch: typeof globalThis.fetch): Promise<ResponseValidationError> {
  const error = await rejectionOf(
    clientWith(fetch, { validateResponses: "throw" }).campaigns.get(campaignId),
  );
  expect(error).toBeInstanceOf(ResponseValidationError);
  expect(error).toBeInstanceOf(LoopsError);
  return error as ResponseValidationError;
}

describe('validateResponses: "throw"', () => {
  test("a response as documented resolves, unknown fields at any depth included", async () => {
    const body = {
      ...campaign,
      fieldFromANewerApi: { nested: [1, "two"] },
      scheduling: { ...campaign.scheduling, timezone: "Europe/Paris" },
      audienceFilter: {
        match: "all",
        conditions: [{ type: "property", key: "plan", operator: "equals", value: "pro", extra: 1 }],
        extra: true,
      },
    };
    const loops = clientWith(answering(body), { validateResponses: "throw" });
    await expect(loops.campaigns.get(campaignId)).resolves.toEqual(body);
  });

  test("a missing required field", async () => {
    const error = await thrownBy(answering(without("status")));
    expect(error.drifts).toEqual([
      {
        where: "body",
        location: "/status",
        kind: "missing-field",
        expected: 'required field (one of "Draft", "Scheduled", "Sending", "Sent")',
        actual: "absent",
      },
    ]);
    expect(error).toMatchObject({
      operationId: "getCampaign",
      method: "GET",
      path: "/v1/campaigns/{campaignId}",
      status: 200,
    });
    expect(error.message).toBe(
      "getCampaign (GET /v1/campaigns/{campaignId}) answered 200 not as the contract documents:\n" +
        '  body /status: expected required field (one of "Draft", "Scheduled", "Sending", "Sent"), got absent',
    );
  });

  test("a changed type, without quoting the value", async () => {
    const error = await thrownBy(answering(withField("name", 42)));
    expect(error.drifts).toEqual([
      { where: "body", location: "/name", kind: "type", expected: "string", actual: "integer" },
    ]);
    const nested = await thrownBy(
      answering(withField("scheduling", { method: "schedule", timestamp: 1775034000 })),
    );
    expect(nested.drifts).toEqual([
      {
        where: "body",
        location: "/scheduling/timestamp",
        kind: "type",
        expected: "string",
        actual: "integer",
      },
    ]);
    expect(nested.message).not.toContain("1775034000");
  });

  test("a value outside a closed enum: a new campaign status", async () => {
    const error = await thrownBy(answering(withField("status", "Archived")));
    expect(error.drifts).toEqual([
      {
        where: "body",
        location: "/status",
        kind: "enum",
        expected: 'one of "Draft", "Scheduled", "Sending", "Sent"',
        actual: '"Archived"',
      },
    ]);
  });

  test("a new value of a oneOf's discriminator names the field, not the alternatives", async () => {
    const error = await thrownBy(answering(withField("scheduling", { method: "recurring" })));
    expect(error.drifts).toEqual([
      {
        where: "body",
        location: "/scheduling/method",
        kind: "enum",
        expected: 'one of "now", "schedule"',
        actual: '"recurring"',
      },
    ]);
  });

  test("a field missing from the alternative the discriminator picks", async () => {
    const error = await thrownBy(answering(withField("scheduling", { method: "schedule" })));
    expect(error.drifts).toEqual([
      {
        where: "body",
        location: "/scheduling/timestamp",
        kind: "missing-field",
        expected: "required field (string (date-time))",
        actual: "absent",
      },
    ]);
  });

  test("several drifts at once, each with its path", async () => {
    const body = { ...without("createdAt"), name: null, status: "Paused" };
    const error = await thrownBy(answering(body));
    expect(error.drifts.map((drift) => [drift.location, drift.kind])).toEqual([
      ["/createdAt", "missing-field"],
      ["/name", "type"],
      ["/status", "enum"],
    ]);
  });

  test("a missing required header", async () => {
    const error = await thrownBy(answering(campaign, 200, { "x-ratelimit-limit": "10" }));
    expect(error.drifts).toEqual([
      {
        where: "header",
        location: "x-ratelimit-remaining",
        kind: "missing-header",
        expected: "required header (integer (int32))",
        actual: "absent",
      },
    ]);
  });

  test("a header of the wrong type", async () => {
    const headers = { ...rateLimitHeaders, "x-ratelimit-limit": "ten" };
    const error = await thrownBy(answering(campaign, 200, headers));
    expect(error.drifts).toEqual([
      {
        where: "header",
        location: "x-ratelimit-limit",
        kind: "header-value",
        expected: "integer (int32)",
        actual: "text",
      },
    ]);
  });

  test("a documented error body that drifted, with the status error as its cause", async () => {
    const error = await thrownBy(answering({ error: "gone" }, 404));
    expect(error.status).toBe(404);
    expect(error.drifts).toEqual([
      {
        where: "body",
        location: "/message",
        kind: "missing-field",
        expected: "required field (string)",
        actual: "absent",
      },
    ]);
    expect(error.cause).toBeInstanceOf(NotFoundError);
  });

  test("a documented error as documented is its status error", async () => {
    const fetch = answering({ message: "Campaign not found." }, 404);
    const loops = clientWith(fetch, { validateResponses: "throw" });
    expect(await rejectionOf(loops.campaigns.get(campaignId))).toBeInstanceOf(NotFoundError);
  });

  test("a documented 429 as documented is retried as usual", async () => {
    const limited = () =>
      jsonResponse(
        429,
        { message: "Rate limit exceeded." },
        {
          "x-ratelimit-limit": "10",
          "x-ratelimit-remaining": "0",
          "retry-after": "0",
        },
      );
    const fetch = scriptedFetch(limited, () => jsonResponse(200, campaign, rateLimitHeaders));
    const loops = clientWith(fetch, { validateResponses: "throw" });
    await expect(loops.campaigns.get(campaignId)).resolves.toEqual(campaign);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  test("an undocumented success status", async () => {
    const created = examples.createCampaign.success;
    const fetch = scriptedFetch(() =>
      jsonResponse(200, Object.values(created)[0], rateLimitHeaders),
    );
    const loops = clientWith(fetch, { validateResponses: "throw" });
    const error = await rejectionOf(loops.campaigns.create({ name: "Spring" }));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).drifts).toEqual([
      {
        where: "status",
        location: "",
        kind: "undocumented-status",
        expected: "one of 201, 400, 401, 404, 405, 429",
        actual: "200",
      },
    ]);
  });

  test("a 5xx stays an InternalServerError (an outage says nothing about the contract)", async () => {
    const fetch = answering({ unexpected: true }, 503, {});
    const loops = clientWith(fetch, { validateResponses: "throw", maxRetries: 0 });
    expect(await rejectionOf(loops.campaigns.get(campaignId))).toBeInstanceOf(InternalServerError);
  });

  test("checkResponse on its own counts an undocumented 5xx as drift: outages are the caller's", () => {
    const drift = checkResponse("getCampaign", 503, new Headers(), { unexpected: true });
    expect(drift?.drifts).toEqual([
      {
        where: "status",
        location: "",
        kind: "undocumented-status",
        expected: "one of 200, 400, 401, 404, 405, 429",
        actual: "503",
      },
    ]);
  });

  test("every page of a list is validated", async () => {
    const [first, last] = Object.values(examples.listCampaigns.success);
    const drifted = {
      ...last,
      data: [{ ...campaign, status: "Archived" }],
      pagination: { ...last?.pagination, nextCursor: null },
    };
    const fetch = scriptedFetch(
      () => jsonResponse(200, first, rateLimitHeaders),
      () => jsonResponse(200, drifted, rateLimitHeaders),
    );
    const loops = clientWith(fetch, { validateResponses: "throw" });
    const seen: unknown[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const item of loops.campaigns.list()) seen.push(item);
      })(),
    );
    expect(seen).toEqual(first?.data);
    expect((error as ResponseValidationError).drifts[0]?.location).toBe("/data/0/status");
  });

  test("the key never appears, even where a response echoes it", async () => {
    const body = { ...without("createdAt"), status: API_KEY, [API_KEY]: { nested: 1 } };
    const error = await thrownBy(answering(body));
    expect(error.drifts.map((drift) => drift.location)).toEqual(["/createdAt", "/status"]);
    for (const rendering of [
      error.message,
      String(error),
      JSON.stringify(error),
      JSON.stringify(error.drifts),
    ]) {
      expect(rendering).not.toContain(API_KEY);
    }
    expect(error.drifts[1]?.actual).toBe("a string (not shown)");
  });

  test("free text is never quoted, only its type", async () => {
    const error = await thrownBy(answering(withField("status", "Ada Lovelace <ada@example.com>")));
    expect(error.drifts[0]?.actual).toBe("a string (not shown)");
    expect(error.message).not.toContain("Ada");
  });
});

describe('validateResponses: "warn"', () => {
  test("resolves to the body and warns once, through the logger, with the same lines", async () => {
    const logger = { warn: vi.fn() };
    const body = withField("status", "Archived");
    const loops = clientWith(answering(body), { validateResponses: "warn", logger });
    await expect(loops.campaigns.get(campaignId)).resolves.toEqual(body);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      "getCampaign (GET /v1/campaigns/{campaignId}) answered 200 not as the contract documents:\n" +
        '  body /status: expected one of "Draft", "Scheduled", "Sending", "Sent", got "Archived"',
    );
  });

  test("warns on a drifted error response and still throws its status error", async () => {
    const logger = { warn: vi.fn() };
    const fetch = answering({ message: 404 }, 404);
    const loops = clientWith(fetch, { validateResponses: "warn", logger });
    expect(await rejectionOf(loops.campaigns.get(campaignId))).toBeInstanceOf(NotFoundError);
    expect(logger.warn).toHaveBeenCalledWith(
      "getCampaign (GET /v1/campaigns/{campaignId}) answered 404 not as the contract documents:\n" +
        "  body /message: expected string, got integer",
    );
  });

  test("a 429 missing its rate-limit headers is warned and still retried", async () => {
    const logger = { warn: vi.fn() };
    const limited = () =>
      jsonResponse(429, { message: "Rate limit exceeded." }, { "retry-after": "0" });
    const fetch = scriptedFetch(limited, () => jsonResponse(200, campaign, rateLimitHeaders));
    const loops = clientWith(fetch, { validateResponses: "warn", logger });
    await expect(loops.campaigns.get(campaignId)).resolves.toEqual(campaign);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]?.[0]).toContain(
      "header x-ratelimit-limit: expected required header (integer (int32)), got absent",
    );
  });

  test("defaults to console.warn", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const loops = clientWith(answering(withField("name", 1)), { validateResponses: "warn" });
      await loops.campaigns.get(campaignId);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining("body /name: expected string"));
    } finally {
      warn.mockRestore();
    }
  });

  test("a response as documented warns nothing", async () => {
    const logger = { warn: vi.fn() };
    const loops = clientWith(answering(campaign), { validateResponses: "warn", logger });
    await loops.campaigns.get(campaignId);
    expect(logger.warn).not.toHaveBeenCalled();
  });
});

describe("off by default", () => {
  test("a drifted response resolves untouched and nothing is logged", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const body = withField("status", "Archived");
      await expect(clientWith(answering(body, 200, {})).campaigns.get(campaignId)).resolves.toEqual(
        body,
      );
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  test("an unknown mode is refused at construction", () => {
    expect(() =>
      clientWith(answering(campaign), {
        validateResponses: "strict" as unknown as "throw",
      }),
    ).toThrow(new LoopsError('validateResponses must be "warn" or "throw".'));
  });

  test("a rate-limit error keeps its class when validation is off", async () => {
    const fetch = answering({ message: "Rate limit exceeded." }, 429, {});
    const loops = clientWith(fetch, { maxRetries: 0 });
    expect(await rejectionOf(loops.campaigns.get(campaignId))).toBeInstanceOf(RateLimitError);
  });
});
