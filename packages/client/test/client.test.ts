import { afterEach, describe, expect, test, vi } from "vitest";
import {
  APIConnectionError,
  createLoopsClient,
  DEFAULT_BASE_URL,
  LoopsError,
} from "../src/index.js";
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

  test.each(["Bearer abc", "bearer abc", "  Bearer abc"])(
    "a key given as %j is refused: the client adds the prefix itself",
    (apiKey) => {
      expect(() => createLoopsClient({ apiKey })).toThrow(
        new LoopsError('Pass the Loops API key without "Bearer ": the client adds it.'),
      );
    },
  );

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

describe("baseUrl", () => {
  test.each([
    ["the text of an unset variable", "undefined"],
    ["empty", ""],
    ["without a scheme", "127.0.0.1:4010"],
    ["relative", "/api"],
    ["not http", "ftp://127.0.0.1/api"],
    ["not a string", 4010],
    ["null", null],
  ])("%s is refused at construction, naming the value", (_case, baseUrl) => {
    const fetch = scriptedFetch(created);
    expect(() => createLoopsClient({ apiKey: API_KEY, baseUrl: baseUrl as string, fetch })).toThrow(
      new LoopsError(`baseUrl must be an absolute http(s) URL, got ${JSON.stringify(baseUrl)}.`),
    );
    expect(fetch).not.toHaveBeenCalled();
  });

  test.each(["http://127.0.0.1:4010", "https://loops.example.test/api/"])(
    "%s is accepted",
    async (baseUrl) => {
      const fetch = scriptedFetch(created);
      await createLoopsClient({ apiKey: API_KEY, baseUrl, fetch }).campaigns.create({ name: "S" });
      expect(sentRequest(fetch).url).toBe(`${baseUrl.replace(/\/$/, "")}/v1/campaigns`);
    },
  );
});

describe("fetch is looked up on every request", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  test("a client made before globalThis.fetch is replaced (MSW's listen in beforeAll) uses the replacement", async () => {
    const loops = createLoopsClient({ apiKey: API_KEY, baseUrl: BASE_URL });
    const replacement = scriptedFetch(created);
    vi.stubGlobal("fetch", replacement);
    await loops.campaigns.create({ name: "Spring" });
    await loops.raw.POST("/v1/campaigns", { body: { name: "Spring" } });
    expect(replacement).toHaveBeenCalledTimes(2);
  });

  test("a client made after it is replaced uses it too, and the next one after that", async () => {
    const first = scriptedFetch(created);
    vi.stubGlobal("fetch", first);
    const loops = createLoopsClient({ apiKey: API_KEY, baseUrl: BASE_URL });
    await loops.campaigns.create({ name: "Spring" });
    const second = scriptedFetch(created);
    vi.stubGlobal("fetch", second);
    await loops.campaigns.create({ name: "Spring" });
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledTimes(1);
  });

  test("a fetch passed to the client is the one used, whatever globalThis.fetch becomes", async () => {
    const passed = scriptedFetch(created);
    const loops = clientWith(passed);
    const global = scriptedFetch(created);
    vi.stubGlobal("fetch", global);
    await loops.campaigns.create({ name: "Spring" });
    expect(passed).toHaveBeenCalledTimes(1);
    expect(global).not.toHaveBeenCalled();
  });
});

describe("refuseProduction", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.unstubAllGlobals();
  });

  const refusal = new LoopsError(
    `Refused ${DEFAULT_BASE_URL}/v1/campaigns: refuseProduction (or LOOPS_REFUSE_PRODUCTION) is on; give the client your mock's baseUrl.`,
  );

  async function outcome(options: { baseUrl?: string; refuseProduction?: boolean }) {
    const fetch = scriptedFetch(created);
    const loops = createLoopsClient({
      apiKey: API_KEY,
      fetch,
      retryOnServerErrors: true,
      ...options,
    });
    const result = await loops.campaigns.create({ name: "Spring" }).then(
      () => "sent",
      (error: unknown) => error,
    );
    return { result, calls: fetch.mock.calls.length };
  }

  test("is off by default: production is the default server", async () => {
    expect(await outcome({})).toEqual({ result: "sent", calls: 1 });
  });

  test("on, a request to the Loops API is refused before any network, and not retried", async () => {
    const { result, calls } = await outcome({ refuseProduction: true });
    expect(result).toEqual(refusal);
    expect(result).not.toBeInstanceOf(APIConnectionError);
    expect(calls).toBe(0);
  });

  test("on, any port or path of the production host is refused, through raw too", async () => {
    const fetch = scriptedFetch(created);
    const loops = createLoopsClient({
      apiKey: API_KEY,
      baseUrl: "https://app.loops.so:8443/other",
      fetch,
      refuseProduction: true,
    });
    await expect(loops.raw.POST("/v1/campaigns", { body: { name: "S" } })).rejects.toThrow(
      /^Refused https:\/\/app\.loops\.so:8443\/other\/v1\/campaigns: /,
    );
    expect(fetch).not.toHaveBeenCalled();
  });

  test("on, any other server is served", async () => {
    expect(await outcome({ baseUrl: BASE_URL, refuseProduction: true })).toEqual({
      result: "sent",
      calls: 1,
    });
  });

  test.each(["1", "true", "yes", "on"])("LOOPS_REFUSE_PRODUCTION=%s turns it on", async (value) => {
    vi.stubEnv("LOOPS_REFUSE_PRODUCTION", value);
    expect(await outcome({})).toEqual({ result: refusal, calls: 0 });
  });

  test.each(["0", "false", "FALSE", ""])(
    "LOOPS_REFUSE_PRODUCTION=%j leaves it off",
    async (value) => {
      vi.stubEnv("LOOPS_REFUSE_PRODUCTION", value);
      expect(await outcome({})).toEqual({ result: "sent", calls: 1 });
    },
  );

  test("the option wins over the variable", async () => {
    vi.stubEnv("LOOPS_REFUSE_PRODUCTION", "1");
    expect(await outcome({ refuseProduction: false })).toEqual({ result: "sent", calls: 1 });
  });

  test("the variable is read when the client is made, not per request", async () => {
    vi.stubEnv("LOOPS_REFUSE_PRODUCTION", "1");
    const fetch = scriptedFetch(created);
    const loops = createLoopsClient({ apiKey: API_KEY, fetch });
    vi.stubEnv("LOOPS_REFUSE_PRODUCTION", "0");
    await expect(loops.campaigns.create({ name: "Spring" })).rejects.toEqual(refusal);
  });

  test.each([
    ["without `process` (a browser, an edge runtime)", undefined],
    [
      "where reading the environment is forbidden",
      {
        get env(): never {
          throw new Error("Requires env access");
        },
      },
    ],
  ])("%s, the client is made and the guard is off", async (_case, process) => {
    const fetch = scriptedFetch(created);
    vi.stubGlobal("process", process);
    let loops: ReturnType<typeof createLoopsClient>;
    try {
      loops = createLoopsClient({ apiKey: API_KEY, fetch });
    } finally {
      vi.unstubAllGlobals();
    }
    await loops.campaigns.create({ name: "Spring" });
    expect(fetch).toHaveBeenCalledTimes(1);
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

  test("sends a call's prefer as Prefer, over the client's, and none when it has none", async () => {
    const fetch = scriptedFetch(created);
    const loops = clientWith(fetch, { headers: { Prefer: "code=201" } });
    await loops.campaigns.create({ name: "Spring" }, { prefer: "example=sendNow" });
    await loops.campaigns.create({ name: "Spring" });
    expect(sentRequest(fetch, 0).headers.get("Prefer")).toBe("example=sendNow");
    expect(sentRequest(fetch, 1).headers.get("Prefer")).toBe("code=201");
    await clientWith(fetch).campaigns.create({ name: "Spring" });
    expect(sentRequest(fetch, 2).headers.has("Prefer")).toBe(false);
  });

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

describe("a body with custom properties", () => {
  const saved = () => jsonResponse(200, { success: true, id: "cll6b3i8901a9jx0oyktl2m4u" });

  test("sends properties spread into the body, beside the named fields", async () => {
    const fetch = scriptedFetch(saved);
    await clientWith(fetch).contacts.create({
      email: "ada@example.com",
      mailingLists: { cm06f5v0e45nf0ml5754o9cix: true },
      properties: { plan: "pro", seats: 3, referrer: null },
    });
    expect(await sentRequest(fetch).json()).toEqual({
      plan: "pro",
      seats: 3,
      referrer: null,
      email: "ada@example.com",
      mailingLists: { cm06f5v0e45nf0ml5754o9cix: true },
    });
  });

  test("a named field wins over a custom property of its name, as in Loops' SDK", async () => {
    const fetch = scriptedFetch(saved);
    await clientWith(fetch).contacts.update({
      userId: "user_8Hq2",
      properties: { userId: "someone-else", plan: "team" },
    });
    expect(await sentRequest(fetch).json()).toEqual({ userId: "user_8Hq2", plan: "team" });
  });

  test("without properties, sends the named fields only", async () => {
    const fetch = scriptedFetch(() => jsonResponse(200, { success: true }));
    await clientWith(fetch).events.send({ eventName: "signup", email: "ada@example.com" });
    expect(await sentRequest(fetch).json()).toEqual({
      eventName: "signup",
      email: "ada@example.com",
    });
  });
});
