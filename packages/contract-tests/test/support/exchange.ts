import {
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  createLoopsClient,
  InternalServerError,
  type LoopsClient,
  type LoopsClientOptions,
  LoopsError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitError,
  UnprocessableEntityError,
} from "@loops-contract/client";
import { describeErrors, validatorAt } from "@loops-contract/spec";
import { expect, inject } from "vitest";
import {
  documentedResponse,
  examplePathParameters,
  exampleQuery,
  label,
  type Operation,
  urlFor,
} from "./contract.js";

export const baseUrl = inject("baseUrl");
export const apiKey = inject("apiKey");
export const againstMock = inject("againstMock");
/** Opt-in for a real team: updates, previews, scheduling and other creates. See README.md. */
export const writesAllowed = process.env.CONTRACT_ALLOW_WRITES === "1";
/** Parallel requests per batch: the mock takes many; a real team is limited to 10 per second. */
export const concurrency = Number(process.env.CONTRACT_CONCURRENCY ?? (againstMock ? 16 : 1));
/** No request may hang: every one has this long to be answered. */
const answerWithinMs = 10_000;

export interface Observed {
  status: number;
  headers: Headers;
  text: string;
}

export interface Exchange {
  method: string;
  url: string;
  requestHeaders: Headers;
  requestBody: string;
  response: Observed;
}

export const jsonHeaders = {
  authorization: `Bearer ${apiKey}`,
  "content-type": "application/json",
};

export interface RawRequest {
  /** Default: the operation's own. */
  method?: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  /** Default: bearer auth, plus a JSON content type when there is a body. */
  headers?: Record<string, string>;
  /** The exact text to send. */
  body?: string;
  prefer?: string;
}

/** A request sent with plain fetch, for what the client's types would refuse to send. */
export async function sendRaw(operation: Operation, init: RawRequest = {}): Promise<Observed> {
  const headers = new Headers(
    init.headers ??
      (init.body === undefined ? { authorization: jsonHeaders.authorization } : jsonHeaders),
  );
  if (init.prefer !== undefined) headers.set("prefer", init.prefer);
  const response = await fetch(urlFor(baseUrl, operation, init.pathParameters, init.query), {
    method: init.method ?? operation.method.toUpperCase(),
    headers,
    ...(init.body === undefined ? {} : { body: init.body }),
    signal: AbortSignal.timeout(answerWithinMs),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** Rewrites what the client is about to send: a wrong header, a broken body. */
export type Tamper = (request: Request, body: string) => { headers?: Headers; body?: string };

/** A fetch for the client that keeps a copy of every exchange, optionally tampering first. */
export function recordingFetch(exchanges: Exchange[], tamper?: Tamper): typeof fetch {
  return async (input, init) => {
    let request = new Request(input, init);
    let body = await request.clone().text();
    if (tamper) {
      const change = tamper(request, body);
      body = change.body ?? body;
      request = new Request(request.url, {
        method: request.method,
        headers: change.headers ?? request.headers,
        ...(request.method === "GET" ? {} : { body }),
        signal: request.signal,
      });
    }
    const response = await fetch(request);
    const copy = response.clone();
    exchanges.push({
      method: request.method,
      url: request.url,
      requestHeaders: request.headers,
      requestBody: body,
      response: { status: copy.status, headers: copy.headers, text: await copy.text() },
    });
    return response;
  };
}

export function clientFor(
  exchanges: Exchange[],
  options: Partial<LoopsClientOptions> & { tamper?: Tamper | undefined } = {},
): LoopsClient {
  const { tamper, ...clientOptions } = options;
  return createLoopsClient({
    apiKey,
    baseUrl,
    maxRetries: 0,
    timeoutMs: answerWithinMs,
    ...clientOptions,
    fetch: recordingFetch(exchanges, tamper),
  });
}

export interface CallInput {
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
}

type GeneratedMethod = (...args: unknown[]) => Promise<unknown>;

/** The client's generated method for the operation (its `x-sdk-method`), if it has one yet. */
export function generatedMethod(client: LoopsClient, operation: Operation): GeneratedMethod {
  const namespace: unknown = (client as unknown as Record<string, unknown>)[
    operation.sdkMethod.namespace
  ];
  const method: unknown =
    typeof namespace === "object" && namespace !== null
      ? (namespace as Record<string, unknown>)[operation.sdkMethod.name]
      : undefined;
  // The client's build generates one method per operation: a missing one is a failure, not a skip.
  if (typeof method !== "function") {
    throw new Error(`The client has no ${methodName(operation)} for ${operation.operationId}.`);
  }
  return method.bind(namespace) as GeneratedMethod;
}

/** `loops.campaigns.get`, for test names. */
export function methodName(operation: Operation): string {
  return `loops.${operation.sdkMethod.namespace}.${operation.sdkMethod.name}`;
}

/** The generated method's arguments: path parameters in path order, the body, the query object. */
function methodArguments(operation: Operation, input: CallInput): unknown[] {
  const pathParameters = input.pathParameters ?? examplePathParameters(operation);
  const names = [...operation.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] as string);
  const args: unknown[] = names.map((name) => pathParameters[name]);
  if (operation.requestBody) args.push(input.body);
  if (operation.queryParameters.length > 0) args.push(input.query ?? exampleQuery(operation));
  return args;
}

export type Outcome = { value: unknown } | { error: unknown };

/**
 * Calls the operation through the client: its generated method when it has one, else `raw`
 * (plain openapi-fetch, which does not throw: a non-2xx comes back as `{ error: { status, body } }`).
 */
export async function callClient(
  operation: Operation,
  input: CallInput,
  options: Parameters<typeof clientFor>[1] = {},
): Promise<{ outcome: Outcome; exchanges: Exchange[] }> {
  const exchanges: Exchange[] = [];
  const method = generatedMethod(clientFor(exchanges, options), operation);
  const outcome = await method(...methodArguments(operation, input)).then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  return { outcome, exchanges };
}

/** The client's typed error for each status the contract documents. */
const errorClasses: Record<number, abstract new (...args: never[]) => APIError> = {
  400: BadRequestError,
  401: AuthenticationError,
  404: NotFoundError,
  405: MethodNotAllowedError,
  409: ConflictError,
  413: PayloadTooLargeError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

/** The outcome is the client's typed error for `status`, carrying the response as received. */
export function expectTypedError(outcome: Outcome, status: number, exchange: Exchange): APIError {
  const error = "error" in outcome ? outcome.error : undefined;
  expect(error, `a ${status} must throw`).toBeInstanceOf(
    errorClasses[status] ?? (status >= 500 ? InternalServerError : APIError),
  );
  expect(error).toBeInstanceOf(LoopsError);
  const apiError = error as APIError;
  expect(apiError.status).toBe(status);
  expect(apiError.message.length).toBeGreaterThan(0);
  expect(apiError.message).not.toContain(apiKey);
  expect(apiError.rawBody).toBe(exchange.response.text);
  return apiError;
}

/** The response is one the operation documents, with the body and headers it documents. */
export function expectConformingResponse(
  operation: Operation,
  observed: Observed,
  context = "",
): void {
  const where = `${label(operation)} ${context} (${observed.status}: ${observed.text.slice(0, 300)})`;
  const documented = documentedResponse(operation, observed.status);
  expect(documented, `status ${observed.status} is not documented: ${where}`).toBeDefined();
  if (!documented) return;

  if (documented.body) {
    expect(observed.headers.get("content-type"), where).toMatch(/^application\/json\b/);
    const validate = validatorAt(documented.body.schemaPointer);
    const valid = validate(JSON.parse(observed.text));
    expect(valid, `body breaks the contract: ${where}\n${describeErrors(validate.errors)}`).toBe(
      true,
    );
  } else {
    expect(observed.text, `the contract documents no body: ${where}`).toBe("");
  }

  for (const header of documented.headers) {
    const value = observed.headers.get(header.name);
    if (value === null) {
      expect(header.required, `required header ${header.name} is missing: ${where}`).toBe(false);
      continue;
    }
    const validate = validatorAt(header.schemaPointer);
    const parsed = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    expect(validate(parsed), `header ${header.name}: ${value} ${where}`).toBe(true);
  }
}

/** What the client sent is what the operation asks for. */
export function expectConformingRequest(operation: Operation, exchange: Exchange): void {
  expect(exchange.method).toBe(operation.method.toUpperCase());
  const basePath = new URL(baseUrl).pathname.replace(/\/$/, "");
  const sentPath = new URL(exchange.url).pathname.slice(basePath.length);
  const literal = operation.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
  const template = new RegExp(`^${literal.replace(/\{[^}]+\}/g, "[^/]+")}$`);
  expect(sentPath).toMatch(template);
  expect(exchange.requestHeaders.get("authorization")).toBe(`Bearer ${apiKey}`);
  if (!operation.requestBody) {
    expect(exchange.requestBody).toBe("");
    return;
  }
  expect(exchange.requestHeaders.get("content-type")).toMatch(/^application\/json\b/);
  const validate = validatorAt(operation.requestBody.schemaPointer);
  expect(
    validate(JSON.parse(exchange.requestBody)),
    `the client sent a body that breaks the contract: ${describeErrors(validate.errors)}`,
  ).toBe(true);
}

/** Runs `task` over `items`, `concurrency` at a time. */
export async function inBatches<T, R>(items: T[], task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += concurrency) {
    results.push(...(await Promise.all(items.slice(start, start + concurrency).map(task))));
  }
  return results;
}
