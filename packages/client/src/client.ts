import createClient, { type Client } from "openapi-fetch";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  type APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  LoopsError,
  MethodNotAllowedError,
  NotFoundError,
  RateLimitError,
  UnexpectedStatusError,
} from "./errors.js";
import { readRateLimitHints, retryDelayMs } from "./retry.js";
import type { CreateCampaignRequest, CreateCampaignResponse, paths } from "./types.js";

export const DEFAULT_BASE_URL = "https://app.loops.so/api";
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 2;

export interface LoopsClientOptions {
  /** Your Loops API key. Keep it on your server: Loops blocks browser calls by design. */
  apiKey: string;
  /** Default `https://app.loops.so/api`. */
  baseUrl?: string | undefined;
  /** Any fetch-compatible function. Default `globalThis.fetch`. */
  fetch?: typeof fetch | undefined;
  /** Per attempt, in milliseconds. Default 30 000. */
  timeoutMs?: number | undefined;
  /** Retries of a 429 (and, with `retryOnServerErrors`, of 5xx, timeouts and connection errors). Default 2. */
  maxRetries?: number | undefined;
  /** Also retry 5xx, timeouts and connection errors. Off by default: a create is not idempotent. */
  retryOnServerErrors?: boolean | undefined;
  /** Extra headers sent with every request. They cannot replace `Authorization`. */
  headers?: Record<string, string> | undefined;
  /** Sent as `User-Agent`. */
  userAgent?: string | undefined;
}

export interface RequestOptions {
  /** Aborts the call, including any wait before a retry. */
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  maxRetries?: number | undefined;
}

export interface LoopsClient {
  campaigns: {
    /** Creates a draft campaign with an empty email message. Throws a `LoopsError` subclass on failure. */
    create(body: CreateCampaignRequest, options?: RequestOptions): Promise<CreateCampaignResponse>;
  };
  /** The plain openapi-fetch client: returns `{ data, error, response }` and never throws on a status. */
  raw: Client<paths>;
}

export function createLoopsClient(options: LoopsClientOptions): LoopsClient {
  const apiKey = checkApiKey(options?.apiKey);
  const clientTimeoutMs = checkTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const clientMaxRetries = checkMaxRetries(options.maxRetries ?? DEFAULT_MAX_RETRIES);
  const retryOnServerErrors = options.retryOnServerErrors ?? false;
  const baseFetch = options.fetch ?? globalThis.fetch;
  const headers: Record<string, string> = { ...options.headers, Accept: "application/json" };
  if (options.userAgent !== undefined) headers["User-Agent"] = options.userAgent;
  headers.Authorization = `Bearer ${apiKey}`;

  const raw = createClient<paths>({
    baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
    fetch: (request) => baseFetch(request),
    headers,
  });

  /** Sends what openapi-fetch prepared; any non-2xx becomes a typed error, with its raw text. */
  const send = async ({ url, init }: FetchArguments): Promise<Response> => {
    const response = await baseFetch(url, init);
    if (response.ok) return response;
    throw errorFromResponse(response.status, response.headers, await response.text(), apiKey);
  };

  async function attempt(
    body: CreateCampaignRequest,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<CreateCampaignResponse> {
    if (signal?.aborted)
      throw new APIUserAbortError("Aborted by the caller.", { cause: signal.reason });
    // A timer and a listener rather than AbortSignal.timeout/any: fake timers can drive them in tests.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const forwardAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener("abort", forwardAbort, { once: true });
    let result: Awaited<ReturnType<typeof postCampaign>>;
    try {
      result = await postCampaign(body, controller.signal);
    } catch (error) {
      if (error instanceof LoopsError) throw error;
      if (timedOut) {
        throw new APIConnectionTimeoutError(`No response within ${timeoutMs} ms.`, {
          cause: error,
        });
      }
      if (signal?.aborted)
        throw new APIUserAbortError("Aborted by the caller.", { cause: signal.reason });
      throw new APIConnectionError("Connection error: the request got no response.", {
        cause: error,
      });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", forwardAbort);
    }
    return parseCampaign(result.response, result.data);
  }

  function postCampaign(body: CreateCampaignRequest, signal: AbortSignal) {
    return raw.POST("/v1/campaigns", {
      body,
      signal,
      // parseAs "text" leaves JSON parsing to parseCampaign, which keeps the raw text for its errors.
      parseAs: "text",
      Request: FetchArguments,
      fetch: send as unknown as (request: Request) => Promise<Response>,
    });
  }

  async function create(
    body: CreateCampaignRequest,
    requestOptions: RequestOptions = {},
  ): Promise<CreateCampaignResponse> {
    const timeoutMs = checkTimeout(requestOptions.timeoutMs ?? clientTimeoutMs);
    const maxRetries = checkMaxRetries(requestOptions.maxRetries ?? clientMaxRetries);
    for (let retry = 0; ; retry++) {
      try {
        return await attempt(body, timeoutMs, requestOptions.signal);
      } catch (error) {
        const delay =
          retry < maxRetries && error instanceof LoopsError
            ? retryDelayMs(error, retry, retryOnServerErrors)
            : undefined;
        if (delay === undefined) throw error;
        await sleep(delay, requestOptions.signal);
      }
    }
  }

  return { campaigns: { create }, raw };
}

/**
 * Stands in for the `Request` openapi-fetch builds before each call: handing fetch a `Request` that
 * carries a body makes undici stream it, about 150 µs more per call on Node 20 than `fetch(url, init)`.
 * openapi-fetch still does the URL, header and body work; `send` passes the result on as `(url, init)`.
 */
class FetchArguments {
  readonly url: string;
  readonly init: RequestInit;
  /** openapi-fetch reads it to spot HEAD requests. */
  readonly method: string | undefined;

  constructor(url: string, init: RequestInit) {
    this.url = url;
    this.init = init;
    this.method = init.method;
  }
}

function errorFromResponse(
  status: number,
  headers: Headers,
  text: string,
  apiKey: string,
): APIError {
  // A body that echoes the key (a proxy's debug page, say) must not carry it into logs.
  const rawBody = text.replaceAll(apiKey, "[redacted]");
  const body = parseJson(rawBody);
  switch (status) {
    case 400:
      return new BadRequestError(status, headers, body, rawBody);
    case 401:
      return new AuthenticationError(status, headers, body, rawBody);
    case 404:
      return new NotFoundError(status, headers, body, rawBody);
    case 405:
      return new MethodNotAllowedError(status, headers, body, rawBody);
    case 429:
      return new RateLimitError(headers, body, rawBody, readRateLimitHints(headers, Date.now()));
    default:
      return status >= 500
        ? new InternalServerError(status, headers, body, rawBody)
        : new UnexpectedStatusError(status, headers, body, rawBody);
  }
}

function parseCampaign(response: Response, text: string | undefined): CreateCampaignResponse {
  const campaign = parseJson(text ?? "");
  if (typeof campaign === "object" && campaign !== null && !Array.isArray(campaign)) {
    return campaign as CreateCampaignResponse;
  }
  throw new UnexpectedStatusError(
    response.status,
    response.headers,
    campaign,
    text ?? "",
    `${response.status} response is not a campaign object`,
  );
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new APIUserAbortError("Aborted by the caller.", { cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function checkApiKey(apiKey: unknown): string {
  if (typeof apiKey !== "string" || apiKey.trim() === "") {
    throw new LoopsError(
      "Missing Loops API key: pass createLoopsClient({ apiKey }) a non-empty string.",
    );
  }
  try {
    new Headers({ Authorization: `Bearer ${apiKey}` });
  } catch {
    // Headers' own message would quote the key.
    throw new LoopsError("Invalid Loops API key: it contains characters not allowed in a header.");
  }
  return apiKey.trim();
}

function checkTimeout(timeoutMs: number): number {
  if (!(timeoutMs > 0 && timeoutMs <= 2_147_483_647)) {
    throw new LoopsError("timeoutMs must be a number of milliseconds above 0 (at most 2^31 - 1).");
  }
  return timeoutMs;
}

function checkMaxRetries(maxRetries: number): number {
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new LoopsError("maxRetries must be an integer of 0 or more.");
  }
  return maxRetries;
}
