import { vi } from "vitest";
import { createLoopsClient, type LoopsClientOptions } from "../src/index.js";

export const API_KEY = "loops_test_0123456789abcdef";
export const BASE_URL = "http://127.0.0.1:9/api";

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

/** A fetch that answers each call with the next response factory (the last one repeats). */
export function scriptedFetch(
  ...responses: Array<(request: Request) => Response | Promise<Response>>
) {
  return vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = asRequest(input, init);
    const next = responses.length > 1 ? responses.shift() : responses[0];
    if (!next) throw new Error("scriptedFetch needs at least one response");
    return next(request);
  });
}

/**
 * A network failure as undici reports it: `TypeError: fetch failed` with the system error as its
 * `cause`, arriving after fetch returned (no network failure is known sooner).
 */
export async function networkFailure(message = "connect ECONNREFUSED 127.0.0.1:9"): Promise<never> {
  await undefined;
  throw new TypeError("fetch failed", { cause: new Error(message) });
}

/** A fetch that never answers: it only rejects when its request is aborted, like a real one. */
export function hangingFetch() {
  return vi.fn(
    (input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        const { signal } = asRequest(input, init);
        // Under load a short timeout can fire before this fetch is even called.
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener("abort", () => reject(signal.reason), { once: true });
      }),
  );
}

export function clientWith(
  fetch: typeof globalThis.fetch,
  options: Partial<LoopsClientOptions> = {},
) {
  return createLoopsClient({ apiKey: API_KEY, baseUrl: BASE_URL, fetch, ...options });
}

/** Resolves to what `promise` rejected with, so a test can inspect it. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

/** The request a fetch mock got on its `index`-th call, whether it was given a Request or (url, init). */
export function sentRequest(fetch: { mock: { calls: unknown[][] } }, index = 0): Request {
  const call = fetch.mock.calls[index];
  if (!call) throw new Error(`fetch has no call #${index}`);
  return asRequest(call[0] as RequestInfo, call[1] as RequestInit | undefined);
}

function asRequest(input: RequestInfo | URL, init: RequestInit | undefined): Request {
  return input instanceof Request && init === undefined ? input : new Request(input, init);
}
