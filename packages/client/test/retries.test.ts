import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  InternalServerError,
  RateLimitError,
} from "../src/index.js";
import { examples } from "./contract-examples.gen.js";
import {
  BASE_URL,
  clientWith,
  hangingFetch,
  jsonResponse,
  networkFailure,
  rejectionOf,
  scriptedFetch,
  sentRequest,
} from "./helpers.js";

const createdExamples = examples.createCampaign.success;
const created = () => jsonResponse(201, createdExamples.scheduled);

const rateLimited =
  (headers: Record<string, string> = {}) =>
  () =>
    jsonResponse(429, { message: "Rate limit exceeded." }, headers);
const serverError = () => jsonResponse(500, { message: "Internal error." });
const dropped = () => networkFailure();

beforeEach(() => {
  vi.useFakeTimers({ now: new Date("2026-03-28T15:00:00.000Z") });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Observes a call without awaiting it, so the test can step the fake clock while it runs. */
function start(promise: Promise<unknown>) {
  const settled = promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  return settled;
}

describe("429 is retried", () => {
  test.each([
    { hint: "Retry-After in seconds", headers: { "Retry-After": "2" }, waitMs: 2000 },
    {
      hint: "Retry-After as an HTTP date",
      headers: { "Retry-After": "Sat, 28 Mar 2026 15:00:05 GMT" },
      waitMs: 5000,
    },
    {
      hint: "x-ratelimit-remaining 0 (the next one-second window)",
      headers: { "x-ratelimit-limit": "10", "x-ratelimit-remaining": "0" },
      waitMs: 1000,
    },
  ])("after exactly the wait $hint asks for", async ({ headers, waitMs }) => {
    const fetch = scriptedFetch(rateLimited(headers), created);
    const outcome = start(clientWith(fetch).campaigns.create({ name: "Spring" }));
    await vi.advanceTimersByTimeAsync(waitMs - 1);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(await outcome).toEqual({ value: createdExamples.scheduled });
  });

  test("without hints, with exponential backoff and full jitter", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    const fetch = scriptedFetch(rateLimited());
    const outcome = start(clientWith(fetch).campaigns.create({ name: "Spring" }));
    // Retry 1 waits random * 500 ms = 250 ms; retry 2 waits random * 1000 ms = 500 ms.
    await vi.advanceTimersByTimeAsync(249);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(499);
    expect(fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(3);
    const { error } = (await outcome) as { error: RateLimitError };
    expect(error).toBeInstanceOf(RateLimitError);
  });

  test("twice by default, then the RateLimitError is thrown", async () => {
    const fetch = scriptedFetch(rateLimited({ "Retry-After": "1" }));
    const outcome = start(clientWith(fetch).campaigns.create({ name: "Spring" }));
    await vi.runAllTimersAsync();
    expect(fetch).toHaveBeenCalledTimes(3);
    expect((await outcome) as { error: unknown }).toMatchObject({
      error: expect.any(RateLimitError),
    });
  });

  test("as many times as maxRetries says, per client and per call", async () => {
    const fetch = scriptedFetch(rateLimited({ "Retry-After": "0" }));
    const loops = clientWith(fetch, { maxRetries: 4 });
    const clientLevel = start(loops.campaigns.create({ name: "Spring" }));
    await vi.runAllTimersAsync();
    await clientLevel;
    expect(fetch).toHaveBeenCalledTimes(5);

    fetch.mockClear();
    await expect(loops.campaigns.create({ name: "Spring" }, { maxRetries: 0 })).rejects.toThrow(
      RateLimitError,
    );
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  test("not when the server asks for a wait beyond the cap: the error comes back at once", async () => {
    const fetch = scriptedFetch(rateLimited({ "Retry-After": "120" }));
    const error = await rejectionOf(clientWith(fetch).campaigns.create({ name: "Spring" }));
    expect(error).toMatchObject({ retryAfterMs: 120_000 });
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});

describe("what may have created a campaign is not retried by default", () => {
  test.each([
    ["a 5xx", serverError, InternalServerError],
    ["a dropped connection", dropped, APIConnectionError],
  ])("%s", async (_case, respond, ErrorClass) => {
    const fetch = scriptedFetch(respond);
    await expect(clientWith(fetch).campaigns.create({ name: "Spring" })).rejects.toThrow(
      ErrorClass,
    );
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  test("a timeout", async () => {
    const fetch = hangingFetch();
    const outcome = start(
      clientWith(fetch, { timeoutMs: 1000 }).campaigns.create({ name: "Spring" }),
    );
    await vi.runAllTimersAsync();
    expect(await outcome).toMatchObject({ error: expect.any(APIConnectionTimeoutError) });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  test.each([
    ["a 5xx", serverError],
    ["a dropped connection", dropped],
  ])("but %s is retried with retryOnServerErrors", async (_case, respond) => {
    const fetch = scriptedFetch(respond, created);
    const outcome = start(
      clientWith(fetch, { retryOnServerErrors: true }).campaigns.create({ name: "Spring" }),
    );
    await vi.runAllTimersAsync();
    expect(await outcome).toEqual({ value: createdExamples.scheduled });
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  test("and so is a timeout with retryOnServerErrors", async () => {
    const fetch = hangingFetch();
    const outcome = start(
      clientWith(fetch, { retryOnServerErrors: true, timeoutMs: 1000 }).campaigns.create({
        name: "Spring",
      }),
    );
    await vi.runAllTimersAsync();
    expect(await outcome).toMatchObject({ error: expect.any(APIConnectionTimeoutError) });
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  test("4xx other than 429 is never retried, even with retryOnServerErrors", async () => {
    const fetch = scriptedFetch(() => jsonResponse(400, { message: "bad" }));
    await expect(
      clientWith(fetch, { retryOnServerErrors: true }).campaigns.create({ name: "Spring" }),
    ).rejects.toMatchObject({ status: 400 });
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});

describe("timeouts", () => {
  test("abort the request after the client's timeoutMs", async () => {
    const fetch = hangingFetch();
    const outcome = start(
      clientWith(fetch, { timeoutMs: 1000 }).campaigns.create({ name: "Spring" }),
    );
    await vi.advanceTimersByTimeAsync(999);
    expect(sentRequest(fetch, 0).signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(sentRequest(fetch, 0).signal.aborted).toBe(true);
    const { error } = (await outcome) as { error: Error };
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(error.message).toBe(`POST ${BASE_URL}/v1/campaigns: no response within 1000 ms.`);
  });

  test("default to 30 s, and a call's timeoutMs wins over the client's", async () => {
    const loops = clientWith(hangingFetch());
    const byDefault = start(loops.campaigns.create({ name: "Spring" }));
    await vi.advanceTimersByTimeAsync(29_999);
    await vi.advanceTimersByTimeAsync(1);
    expect(await byDefault).toMatchObject({
      error: { message: `POST ${BASE_URL}/v1/campaigns: no response within 30000 ms.` },
    });

    const perCall = start(loops.campaigns.create({ name: "Spring" }, { timeoutMs: 50 }));
    await vi.advanceTimersByTimeAsync(50);
    expect(await perCall).toMatchObject({
      error: { message: `POST ${BASE_URL}/v1/campaigns: no response within 50 ms.` },
    });
  });

  test("cover a body that stops arriving after the headers", async () => {
    const fetch = scriptedFetch((request) => {
      const body = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"id":'));
          request.signal.addEventListener("abort", () => controller.error(request.signal.reason));
        },
      });
      return new Response(body, { status: 201 });
    });
    const outcome = start(
      clientWith(fetch, { timeoutMs: 100 }).campaigns.create({ name: "Spring" }),
    );
    await vi.advanceTimersByTimeAsync(100);
    expect(await outcome).toMatchObject({ error: expect.any(APIConnectionTimeoutError) });
  });

  test("leave no timer behind after a response", async () => {
    await clientWith(scriptedFetch(created)).campaigns.create({ name: "Spring" });
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("the caller's signal", () => {
  test("aborts a request in flight", async () => {
    const controller = new AbortController();
    const fetch = hangingFetch();
    const outcome = start(
      clientWith(fetch).campaigns.create({ name: "Spring" }, { signal: controller.signal }),
    );
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(new Error("shutting down"));
    const { error } = (await outcome) as { error: Error };
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(error.cause).toEqual(new Error("shutting down"));
    expect(vi.getTimerCount()).toBe(0);
  });

  test("already aborted: no request at all", async () => {
    const fetch = scriptedFetch(created);
    await expect(
      clientWith(fetch).campaigns.create({ name: "Spring" }, { signal: AbortSignal.abort() }),
    ).rejects.toThrow(APIUserAbortError);
    expect(fetch).not.toHaveBeenCalled();
  });

  test("aborts the wait before a retry, and no retry is sent", async () => {
    const controller = new AbortController();
    const fetch = scriptedFetch(rateLimited({ "Retry-After": "5" }), created);
    const outcome = start(
      clientWith(fetch).campaigns.create({ name: "Spring" }, { signal: controller.signal }),
    );
    await vi.advanceTimersByTimeAsync(1000);
    controller.abort();
    expect(await outcome).toMatchObject({ error: expect.any(APIUserAbortError) });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
