import { describe, expect, test } from "vitest";
import { createLoopsClient, DEFAULT_BASE_URL, LoopsError } from "../src/index.js";
import { examples } from "./contract-examples.gen.js";
import {
  API_KEY,
  BASE_URL,
  clientWith,
  jsonResponse,
  scriptedFetch,
  sentRequest,
} from "./helpers.js";

const { request: requestExamples, success: createdExamples } = examples.createCampaign;
const created = () => jsonResponse(201, createdExamples.scheduled);

describe("createLoopsClient", () => {
  test.each([
    ["missing", undefined],
    ["empty", ""],
    ["blank", "   "],
  ])("a %s API key is an error at construction, before any request", (_case, apiKey) => {
    const fetch = scriptedFetch(created);
    expect(() => createLoopsClient({ apiKey: apiKey as string, fetch })).toThrow(
      new LoopsError(
        "Missing Loops API key: pass createLoopsClient({ apiKey }) a non-empty string.",
      ),
    );
    expect(fetch).not.toHaveBeenCalled();
  });

  test("a key that cannot go in a header is rejected without quoting it", () => {
    const apiKey = `${API_KEY}\nX-Injected: 1`;
    const error = (() => {
      try {
        createLoopsClient({ apiKey });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(LoopsError);
    expect(String(error)).not.toContain(API_KEY);
  });

  test.each([
    [{ timeoutMs: 0 }, /timeoutMs/],
    [{ timeoutMs: Number.NaN }, /timeoutMs/],
    [{ maxRetries: -1 }, /maxRetries/],
    [{ maxRetries: 1.5 }, /maxRetries/],
  ])("rejects nonsensical options %o", (options, message) => {
    expect(() => createLoopsClient({ apiKey: API_KEY, ...options })).toThrow(message);
  });

  test("defaults to the production server", async () => {
    const fetch = scriptedFetch(created);
    await createLoopsClient({ apiKey: API_KEY, fetch }).campaigns.create({ name: "Spring" });
    expect(DEFAULT_BASE_URL).toBe("https://app.loops.so/api");
    expect(sentRequest(fetch)).toMatchObject({ url: `${DEFAULT_BASE_URL}/v1/campaigns` });
  });
});

describe("campaigns.create", () => {
  test.each(Object.entries(requestExamples))(
    "sends the %s example as the JSON body of POST /v1/campaigns",
    async (_name, example) => {
      const fetch = scriptedFetch(created);
      await clientWith(fetch).campaigns.create(example);
      const request = sentRequest(fetch, 0);
      expect(request.method).toBe("POST");
      expect(request.url).toBe(`${BASE_URL}/v1/campaigns`);
      expect(request.headers.get("Authorization")).toBe(`Bearer ${API_KEY}`);
      expect(request.headers.get("Content-Type")).toBe("application/json");
      expect(await request.json()).toEqual(example);
    },
  );

  test.each(Object.entries(createdExamples))(
    "resolves to the %s 201 body, unknown fields included",
    async (_name, example) => {
      const body = { ...example, fieldFromANewerApi: true };
      const loops = clientWith(scriptedFetch(() => jsonResponse(201, body)));
      await expect(loops.campaigns.create({ name: example.name })).resolves.toEqual(body);
    },
  );

  test("sends extra headers and the user agent, but never lets them replace Authorization", async () => {
    const fetch = scriptedFetch(created);
    const loops = clientWith(fetch, {
      headers: { "X-Trace-Id": "abc", Authorization: "Bearer someone-else" },
      userAgent: "my-app/1.2.3",
    });
    await loops.campaigns.create({ name: "Spring" });
    const request = sentRequest(fetch, 0);
    expect(request.headers.get("X-Trace-Id")).toBe("abc");
    expect(request.headers.get("User-Agent")).toBe("my-app/1.2.3");
    expect(request.headers.get("Authorization")).toBe(`Bearer ${API_KEY}`);
  });
});

describe("raw", () => {
  test("is the openapi-fetch client: data, error and response, no throwing", async () => {
    const fetch = scriptedFetch(created, () =>
      jsonResponse(400, { message: "Invalid request body: name is required." }),
    );
    const loops = clientWith(fetch);

    const ok = await loops.raw.POST("/v1/campaigns", { body: { name: "Spring" } });
    expect(ok.data).toEqual(createdExamples.scheduled);
    expect(ok.response.status).toBe(201);

    const failed = await loops.raw.POST("/v1/campaigns", { body: { name: "Spring" } });
    expect(failed.error).toEqual({ message: "Invalid request body: name is required." });
    expect(failed.response.status).toBe(400);
    expect(sentRequest(fetch, 1).headers.get("Authorization")).toBe(`Bearer ${API_KEY}`);
  });

  test("is not retried: it is the plain client", async () => {
    const fetch = scriptedFetch(() => jsonResponse(429, { message: "Rate limit exceeded." }));
    const result = await clientWith(fetch).raw.POST("/v1/campaigns", { body: { name: "Spring" } });
    expect(result.response.status).toBe(429);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  test("middleware added to raw stays out of the methods' pipeline", async () => {
    const fetch = scriptedFetch(created);
    const loops = clientWith(fetch);
    loops.raw.use({ onRequest: ({ request }) => request.headers.set("X-Raw-Only", "1") });
    await loops.raw.POST("/v1/campaigns", { body: { name: "Spring" } });
    await loops.campaigns.create({ name: "Spring" });
    expect(sentRequest(fetch, 0).headers.get("X-Raw-Only")).toBe("1");
    expect(sentRequest(fetch, 1).headers.get("X-Raw-Only")).toBeNull();
  });
});
