import { type AddressInfo, createServer } from "node:net";
import { inspect } from "node:util";
import { describe, expect, test, vi } from "vitest";
import {
  APIConnectionError,
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  createLoopsClient,
  InternalServerError,
  LoopsError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitError,
  UnexpectedStatusError,
  UnprocessableEntityError,
} from "../src/index.js";
import {
  API_KEY,
  BASE_URL,
  clientWith,
  hangingFetch,
  jsonResponse,
  networkFailure,
  rejectionOf,
  scriptedFetch,
} from "./helpers.js";

const rateLimitHeaders = { "x-ratelimit-limit": "10", "x-ratelimit-remaining": "0" };

describe("each status throws its own class", () => {
  test.each([
    [400, BadRequestError, { message: "Campaign group not found." }],
    [
      401,
      AuthenticationError,
      { success: false, message: "Invalid API key", error: "Invalid API key" },
    ],
    [404, NotFoundError, { message: "Mailing list not found." }],
    [429, RateLimitError, { message: "Rate limit exceeded." }],
    [500, InternalServerError, { message: "Internal error." }],
    [503, InternalServerError, { message: "Unavailable." }],
    [409, ConflictError, { message: "Expected revision does not match." }],
    [413, PayloadTooLargeError, { message: "LMX is over 100 KB." }],
    [422, UnprocessableEntityError, { message: "LMX does not compile." }],
    [418, UnexpectedStatusError, { message: "I'm a teapot." }],
  ])(
    "%i gives %o with status, headers, parsed body and message",
    async (status, ErrorClass, body) => {
      const fetch = scriptedFetch(() => jsonResponse(status, body, rateLimitHeaders));
      const error = await rejectionOf(
        clientWith(fetch, { maxRetries: 0 }).campaigns.create({ name: "Spring" }),
      );
      expect(error).toBeInstanceOf(ErrorClass);
      expect(error).toBeInstanceOf(APIError);
      expect(error).toBeInstanceOf(LoopsError);
      expect(error).toMatchObject({
        name: ErrorClass.name,
        status,
        body,
        rawBody: JSON.stringify(body),
        message: `${status} ${body.message}`,
      });
      expect((error as APIError).headers.get("x-ratelimit-limit")).toBe("10");
    },
  );

  test("405 has no body and still gives a typed error", async () => {
    const fetch = scriptedFetch(() => new Response(null, { status: 405 }));
    const error = await rejectionOf(clientWith(fetch).campaigns.create({ name: "Spring" }));
    expect(error).toBeInstanceOf(MethodNotAllowedError);
    expect(error).toMatchObject({
      status: 405,
      body: undefined,
      rawBody: "",
      message: "405 status code (no body)",
    });
  });

  test("an HTML page from a load balancer gives a typed error with the raw text", async () => {
    const html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    const fetch = scriptedFetch(
      () => new Response(html, { status: 502, headers: { "Content-Type": "text/html" } }),
    );
    const error = await rejectionOf(clientWith(fetch).campaigns.create({ name: "Spring" }));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({
      status: 502,
      body: undefined,
      rawBody: html,
      message: "502 status code (body is not JSON)",
    });
  });

  test("JSON without a message falls back to the status in the message", async () => {
    const fetch = scriptedFetch(() => jsonResponse(400, { errors: ["bad"] }));
    const error = await rejectionOf(clientWith(fetch).campaigns.create({ name: "Spring" }));
    expect(error).toMatchObject({
      body: { errors: ["bad"] },
      message: "400 status code (body is not JSON)",
    });
  });

  test("a 201 whose body is not a JSON object is an UnexpectedStatusError", async () => {
    const fetch = scriptedFetch(() => new Response("OK", { status: 201 }));
    const error = await rejectionOf(clientWith(fetch).campaigns.create({ name: "Spring" }));
    expect(error).toBeInstanceOf(UnexpectedStatusError);
    expect(error).toMatchObject({ status: 201, rawBody: "OK", body: undefined });
  });

  test("429 carries the rate-limit headers and the wait they ask for", async () => {
    const fetch = scriptedFetch(() =>
      jsonResponse(
        429,
        { message: "Rate limit exceeded." },
        { ...rateLimitHeaders, "Retry-After": "3" },
      ),
    );
    const error = await rejectionOf(
      clientWith(fetch, { maxRetries: 0 }).campaigns.create({ name: "Spring" }),
    );
    expect(error).toMatchObject({ limit: 10, remaining: 0, retryAfterMs: 3000 });
  });

  test("a network failure is an APIConnectionError naming the request and its cause", async () => {
    const fetch = scriptedFetch(() => networkFailure("getaddrinfo ENOTFOUND app.loops.so"));
    const error = await rejectionOf(
      clientWith(fetch).campaigns.get("cln0y4p6r003yl70i1j2k3l4m", { maxRetries: 0 }),
    );
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).toBeInstanceOf(LoopsError);
    expect((error as Error).message).toBe(
      `GET ${BASE_URL}/v1/campaigns/cln0y4p6r003yl70i1j2k3l4m: no response (fetch failed: getaddrinfo ENOTFOUND app.loops.so).`,
    );
    expect((error as Error).cause).toMatchObject({ message: "fetch failed" });
  });
});

test("Node's own fetch to a closed port is a connection error, not a refusal", async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  const baseUrl = `http://127.0.0.1:${port}/api`;
  const loops = createLoopsClient({ apiKey: API_KEY, baseUrl, maxRetries: 0 });
  const error = await rejectionOf(loops.campaigns.get("cln0y4p6r003yl70i1j2k3l4m"));
  expect(error).toBeInstanceOf(APIConnectionError);
  expect((error as Error).message).toMatch(
    new RegExp(
      `^GET ${baseUrl}/v1/campaigns/cln0y4p6r003yl70i1j2k3l4m: no response \\(fetch failed: .*ECONNREFUSED`,
    ),
  );
});

describe("a request refused before any network is not a connection error", () => {
  // What createMockFetch throws for a path the contract lacks, and how: before fetch returns.
  const mockRefusal = "The Loops mock has no operation at GET http://127.0.0.1:9/api/v1/campaigns";
  const refusingFetches = {
    "an async fetch that throws before it awaits anything (createMockFetch)": async () => {
      throw new TypeError(mockRefusal);
    },
    "a fetch that throws": () => {
      throw new TypeError(mockRefusal);
    },
    "a fetch that returns a rejected promise": () => Promise.reject(new TypeError(mockRefusal)),
  };

  test.each(Object.entries(refusingFetches))(
    "%s: a LoopsError with the cause's message, never retried",
    async (_case, refusing) => {
      const fetch = vi.fn(refusing);
      const loops = clientWith(fetch, { retryOnServerErrors: true });
      const error = await rejectionOf(loops.campaigns.get("cln0y4p6r003yl70i1j2k3l4m"));
      expect(error).toBeInstanceOf(LoopsError);
      expect(error).not.toBeInstanceOf(APIConnectionError);
      expect((error as Error).message).toBe(mockRefusal);
      expect((error as Error).cause).toBeInstanceOf(TypeError);
      expect(fetch).toHaveBeenCalledTimes(1);
    },
  );

  test("a request that cannot be built: the cause's message, and fetch is never called", async () => {
    const fetch = scriptedFetch(() => jsonResponse(200, {}));
    const loops = clientWith(fetch, { headers: { "X-Trace-Id": "line\nbreak" } });
    const error = await rejectionOf(loops.campaigns.get("cln0y4p6r003yl70i1j2k3l4m"));
    expect(error).toBeInstanceOf(LoopsError);
    expect(error).not.toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toBe(((error as Error).cause as Error).message);
    expect((error as Error).message).toMatch(/header/i);
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe("the API key never leaks", () => {
  const leakChecks = (error: unknown) => {
    expect(error).toBeInstanceOf(LoopsError);
    for (const rendering of [
      (error as Error).message,
      String(error),
      JSON.stringify(error),
      inspect(error, { depth: 10, showHidden: true }),
      (error as Error).stack ?? "",
    ]) {
      expect(rendering).not.toContain(API_KEY);
    }
  };

  test.each([
    ["401", () => jsonResponse(401, { message: "Invalid API key", success: false })],
    ["429", () => jsonResponse(429, { message: "Rate limit exceeded." }, rateLimitHeaders)],
    ["HTML 500", () => new Response("<h1>oops</h1>", { status: 500 })],
    [
      "a body that echoes the key",
      () => jsonResponse(401, { message: `Invalid API key ${API_KEY}` }),
    ],
  ])("in a %s error", async (_case, respond) => {
    const error = await rejectionOf(
      clientWith(scriptedFetch(respond), { maxRetries: 0 }).campaigns.create({ name: "Spring" }),
    );
    leakChecks(error);
  });

  test("the echoed key is redacted from message, body and rawBody", async () => {
    const fetch = scriptedFetch(() => jsonResponse(401, { message: `Invalid API key ${API_KEY}` }));
    const error = await rejectionOf(clientWith(fetch).campaigns.create({ name: "Spring" }));
    expect(error).toMatchObject({
      message: "401 Invalid API key [redacted]",
      body: { message: "Invalid API key [redacted]" },
    });
  });

  test("in a connection error and a timeout", async () => {
    const refused = scriptedFetch(() => networkFailure());
    leakChecks(await rejectionOf(clientWith(refused).campaigns.create({ name: "Spring" })));
    leakChecks(
      await rejectionOf(
        clientWith(hangingFetch(), { timeoutMs: 5 }).campaigns.create({ name: "Spring" }),
      ),
    );
  });
});
