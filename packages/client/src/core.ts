// The one pipeline every operation goes through: auth headers, a fresh timeout signal per attempt,
// retries, typed errors and key redaction, over openapi-fetch's documented `request` and `fetch`
// options. What differs between operations comes from the contract, as an `OperationDescriptor`.
import createClient from "openapi-fetch";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  type APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  IdempotencyKeyReusedError,
  InternalServerError,
  LoopsError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitError,
  UnexpectedStatusError,
  UnprocessableEntityError,
} from "./errors.js";
import { readRateLimitHints, retryDelayMs } from "./retry.js";

/** How to send one operation of the contract; the build writes one per operation. */
export interface OperationDescriptor {
  operationId: string;
  method: "get" | "put" | "post" | "delete" | "patch";
  /** The contract's path template, `{name}` for each path parameter. */
  path: string;
  /** Whether the method takes a JSON body (after its path parameters). */
  body: boolean;
  /** Whether the method takes query parameters (as one object, after the body). */
  query: boolean;
  /** `x-idempotent`: repeating the request is safe, so 5xx, timeouts and dropped connections are retried. */
  idempotent: boolean;
  /** A list that follows `pagination.nextCursor` through the `cursor` query parameter. */
  paginated: boolean;
  /** The JSON type of the 2xx body: an object, or (a bare list) an array. */
  success: "object" | "array";
  /** `x-idempotency-key`: the header sent with one key per call, the same on each retry of it. */
  idempotencyKey?: { header: string; maxLength?: number };
  /** The body takes custom properties: the method takes them apart, as `properties`, and spreads them in. */
  customProperties?: boolean;
}

export interface RequestOptions {
  /** Aborts the call, including any wait before a retry (and, for a list, the pages after it). */
  signal?: AbortSignal | undefined;
  /** Per attempt, in milliseconds. */
  timeoutMs?: number | undefined;
  maxRetries?: number | undefined;
  /**
   * Sent as `Prefer`, for tests: the mock and Prism read it to pick a documented answer
   * (`"code=404"`, `"example=noSendingDomain"`). Wins over a `Prefer` in the client's `headers`.
   */
  prefer?: string | undefined;
  /**
   * For an operation that takes an idempotency key (the contract's `x-idempotency-key`): the key
   * sent on every attempt of this call. Left out, the client makes one (`crypto.randomUUID()`).
   * Longer than the contract allows, or given to any other operation: a `LoopsError`, before any
   * request.
   */
  idempotencyKey?: string | undefined;
}

export interface OperationInput {
  path?: Record<string, unknown> | undefined;
  query?: Record<string, unknown> | undefined;
  body?: unknown;
}

export interface CoreOptions {
  apiKey: string;
  baseUrl: string;
  /** Called as `fetch(url, init)` for every attempt. */
  fetch: typeof fetch;
  headers: Record<string, string>;
  timeoutMs: number;
  maxRetries: number;
  /** `undefined`: each operation's `x-idempotent` decides. */
  retryOnServerErrors: boolean | undefined;
  /** `undefined`: responses are not validated, and the validators are never loaded. */
  validateResponses: "warn" | "throw" | undefined;
  /** `undefined`: `console`. */
  logger: Logger | undefined;
}

export interface Logger {
  warn(message: string): void;
}

export type Send = (
  operation: OperationDescriptor,
  input: OperationInput,
  options?: RequestOptions,
) => Promise<unknown>;

/** The slice of openapi-fetch's documented `client.request` the pipeline uses, for any path. */
type RequestAnyPath = (
  method: string,
  path: string,
  init: {
    params: {
      path?: Record<string, unknown> | undefined;
      query?: Record<string, unknown> | undefined;
    };
    body?: string | undefined;
    headers: Record<string, string | undefined>;
    bodySerializer: (json: string) => string;
    parseAs: "text";
    fetch: (request: Request) => Promise<Response>;
  },
) => Promise<{ data?: string; response: Response }>;

export function createSend(options: CoreOptions): Send {
  const { apiKey, fetch: baseFetch } = options;
  // Its own openapi-fetch client, so middleware added to `raw` cannot reach into the pipeline.
  const client = createClient({ baseUrl: options.baseUrl, headers: options.headers });
  // The operation's own types are enforced by the generated method that calls `send`.
  const request = client.request as unknown as RequestAnyPath;
  const checkResponse = responseCheck(options);
  const redact = (text: string) => text.replaceAll(apiKey, "[redacted]");

  async function attempt(
    operation: OperationDescriptor,
    input: OperationInput,
    json: string | undefined,
    timeoutMs: number,
    headers: Record<string, string | undefined>,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    if (signal?.aborted) throw abortError(signal);
    // A timer and a listener rather than AbortSignal.timeout/any: fake timers can drive them in tests.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const forwardAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener("abort", forwardAbort, { once: true });
    // The request `fetch` was given, and whether fetch returned it pending: only then can a
    // failure be the network's.
    let sent: Request | undefined;
    let inFlight = false;
    try {
      const { data, response } = await request(operation.method, operation.path, {
        params: { path: input.path, query: input.query },
        body: json,
        headers,
        bodySerializer: serializedOnce,
        parseAs: "text",
        // Hands fetch a plain (url, init): undici streams the body of a `Request` it is given, which
        // costs more per call than sending the text it was built from.
        fetch: async (prepared) => {
          sent = prepared;
          const pending = baseFetch(prepared.url, {
            method: prepared.method,
            headers: prepared.headers,
            body: json ?? null,
            signal: controller.signal,
          });
          // Reactions run in order: a promise already rejected when fetch returned (a mock that
          // refuses the path) wins the race against one already resolved. No network I/O can
          // happen before fetch returns, so such a refusal is never a connection error.
          await Promise.race([pending, undefined]);
          inFlight = true;
          const response = await pending;
          if (response.ok) return response;
          const error = errorFromResponse(
            response.status,
            response.headers,
            await response.text(),
            apiKey,
          );
          await checkResponse?.(operation, response, error.body, error);
          throw error;
        },
      });
      const body = parseSuccess(response, data, operation.success);
      await checkResponse?.(operation, response, body);
      return body;
    } catch (error) {
      if (error instanceof LoopsError) throw error;
      const where = `${sent?.method} ${sent?.url}`;
      if (timedOut) {
        throw new APIConnectionTimeoutError(
          redact(`${where}: no response within ${timeoutMs} ms.`),
          { cause: error },
        );
      }
      if (signal?.aborted) throw abortError(signal);
      // Built or refused without the network: the cause's own words, and nothing to retry.
      if (!inFlight) throw new LoopsError(redact(messageOf(error)), { cause: error });
      throw new APIConnectionError(redact(`${where}: no response (${messageOf(error)}).`), {
        cause: error,
      });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", forwardAbort);
    }
  }

  return async function send(operation, input, requestOptions = {}) {
    const timeoutMs = checkTimeout(requestOptions.timeoutMs ?? options.timeoutMs);
    const maxRetries = checkMaxRetries(requestOptions.maxRetries ?? options.maxRetries);
    const retryServerErrors = options.retryOnServerErrors ?? operation.idempotent;
    checkPathParameters(operation, input.path);
    const key = idempotencyKeyFor(operation, requestOptions.idempotencyKey);
    const json = input.body === undefined ? undefined : JSON.stringify(input.body);
    const { signal } = requestOptions;
    // Undefined values (no `Prefer`; no key, under the name "undefined") are left out by openapi-fetch.
    const headers = {
      Prefer: requestOptions.prefer,
      [operation.idempotencyKey?.header as string]: key,
    };
    // Whether an earlier attempt may have reached Loops: any failure but a 429, which it refused.
    let reached = false;
    for (let retry = 0; ; retry++) {
      try {
        return await attempt(operation, input, json, timeoutMs, headers, signal);
      } catch (error) {
        if (reached && key && error instanceof ConflictError) {
          throw new IdempotencyKeyReusedError(error, key, retry + 1);
        }
        reached ||= !(error instanceof RateLimitError);
        const delay =
          retry < maxRetries && error instanceof LoopsError
            ? retryDelayMs(error, retry, retryServerErrors)
            : undefined;
        if (delay === undefined) throw error;
        await sleep(delay, signal);
      }
    }
  };
}

/**
 * Checks a response against the contract with the validators compiled at build time, imported on
 * first use (then cached by the module loader) so that a client that does not validate never
 * loads them.
 */
function responseCheck(options: CoreOptions) {
  return (
    options.validateResponses &&
    (async (
      operation: OperationDescriptor,
      response: Response,
      body: unknown,
      statusError?: APIError,
    ) => {
      const { validateResponse } = await import("./validation.js");
      validateResponse(options, operation.operationId, response, body, statusError);
    })
  );
}

/** The call's idempotency key: the caller's, checked against the contract, or a new one. */
function idempotencyKeyFor(
  operation: OperationDescriptor,
  given: string | undefined,
): string | undefined {
  const declared = operation.idempotencyKey;
  if (given === undefined) return declared && crypto.randomUUID();
  const maxLength = declared?.maxLength;
  if (
    !declared ||
    typeof given !== "string" ||
    !given ||
    given.length > (maxLength ?? given.length)
  ) {
    throw new LoopsError(
      declared
        ? `idempotencyKey must be 1 to ${maxLength} characters.`
        : `${operation.operationId} takes no idempotencyKey.`,
    );
  }
  return given;
}

/** The pipeline serializes the body once per call, so every attempt sends the same text. */
const serializedOnce = (json: string) => json;

/** The names of the path template's parameters, in order. */
export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{([^{}]+)\}/g)].map((match) => match[1] as string);
}

/** openapi-fetch percent-encodes path parameters; what encoding leaves as a path step is refused. */
function checkPathParameters(
  operation: OperationDescriptor,
  values: Record<string, unknown> | undefined,
): void {
  for (const name of pathParameterNames(operation.path)) {
    const value = values?.[name];
    if (typeof value !== "string" || value === "" || value === "." || value === "..") {
      throw new LoopsError(
        `${name} must be a non-empty string other than "." and "..", got ${JSON.stringify(value) ?? value}.`,
      );
    }
  }
}

/** The class of each status the contract documents; 429 and 5xx are built apart. */
const errorClassByStatus: Record<
  number,
  new (
    status: number,
    headers: Headers,
    body: unknown,
    rawBody: string,
  ) => APIError
> = {
  400: BadRequestError,
  401: AuthenticationError,
  404: NotFoundError,
  405: MethodNotAllowedError,
  409: ConflictError,
  413: PayloadTooLargeError,
  422: UnprocessableEntityError,
};

function errorFromResponse(
  status: number,
  headers: Headers,
  text: string,
  apiKey: string,
): APIError {
  // A body that echoes the key (a proxy's debug page, say) must not carry it into logs.
  const rawBody = text.replaceAll(apiKey, "[redacted]");
  const body = parseJson(rawBody);
  if (status === 429) {
    return new RateLimitError(headers, body, rawBody, readRateLimitHints(headers, Date.now()));
  }
  const ErrorClass =
    errorClassByStatus[status] ?? (status >= 500 ? InternalServerError : UnexpectedStatusError);
  return new ErrorClass(status, headers, body, rawBody);
}

/** A success body of the JSON type the contract gives it (the build checks it is one of the two). */
function parseSuccess(
  response: Response,
  text: string | undefined,
  expected: OperationDescriptor["success"],
): unknown {
  const body = parseJson(text ?? "");
  const isArray = Array.isArray(body);
  if (typeof body === "object" && body !== null && isArray === (expected === "array")) return body;
  throw new UnexpectedStatusError(
    response.status,
    response.headers,
    body,
    text ?? "",
    `${response.status} response is not a JSON ${expected}`,
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

/** An error's message and its cause's: undici's "fetch failed" says why only in its `cause`. */
function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { cause } = error;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}

function abortError(signal: AbortSignal): APIUserAbortError {
  return new APIUserAbortError("Aborted by the caller.", { cause: signal.reason });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export function checkTimeout(timeoutMs: number): number {
  if (!(timeoutMs > 0 && timeoutMs <= 2_147_483_647)) {
    throw new LoopsError("timeoutMs must be a number of milliseconds above 0 (at most 2^31 - 1).");
  }
  return timeoutMs;
}

export function checkMaxRetries(maxRetries: number): number {
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new LoopsError("maxRetries must be an integer of 0 or more.");
  }
  return maxRetries;
}
