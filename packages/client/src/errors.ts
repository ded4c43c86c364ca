import type { ErrorBody } from "./types.js";

/** The base class of every error this package throws. */
export class LoopsError extends Error {
  override name = "LoopsError";
}

/** The API answered with a status other than 2xx. */
export class APIError extends LoopsError {
  override name = "APIError";
  /** The HTTP status code. */
  readonly status: number;
  /** The response headers (never the request's, so never the API key). */
  readonly headers: Headers;
  /** The parsed JSON body, or `undefined` when the body is empty or not JSON. */
  readonly body: unknown;
  /** The body as received: proxies and load balancers can answer with HTML or nothing. */
  readonly rawBody: string;

  constructor(status: number, headers: Headers, body: unknown, rawBody: string, message?: string) {
    super(message ?? describeResponse(status, body, rawBody));
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.rawBody = rawBody;
  }
}

/** 400: the body or a parameter is invalid (the message says which), or a referenced resource is unusable. */
export class BadRequestError extends APIError {
  override name = "BadRequestError";
}

/** 401: the API key is invalid, or the content API is not enabled for the team. */
export class AuthenticationError extends APIError {
  override name = "AuthenticationError";
}

/** 404: the resource in the path, or one the body refers to, does not exist. */
export class NotFoundError extends APIError {
  override name = "NotFoundError";
}

/** 405: the path does not take this HTTP method. */
export class MethodNotAllowedError extends APIError {
  override name = "MethodNotAllowedError";
}

/**
 * 409: the request conflicts with the resource's state, for example a stale `expectedRevisionId` on an
 * email message update. Never retried by the client: re-read the resource, then decide.
 */
export class ConflictError extends APIError {
  override name = "ConflictError";
}

/** 413: the request body is over the size the API accepts. */
export class PayloadTooLargeError extends APIError {
  override name = "PayloadTooLargeError";
}

/** 422: the body is well-formed but its content cannot be processed (for example, it does not compile). */
export class UnprocessableEntityError extends APIError {
  override name = "UnprocessableEntityError";
}

/**
 * 429: over a rate limit; the request was not processed. With `remaining` above 0 it is not the
 * per-second limit but a longer one (a daily cap), which the client does not wait out.
 */
export class RateLimitError extends APIError {
  override name = "RateLimitError";
  /** `x-ratelimit-limit`: requests allowed per second. */
  readonly limit: number | undefined;
  /** `x-ratelimit-remaining`: requests left in the current window. */
  readonly remaining: number | undefined;
  /** The wait the server asked for (`Retry-After`, or the rest of the window when `remaining` is 0). */
  readonly retryAfterMs: number | undefined;

  constructor(
    headers: Headers,
    body: unknown,
    rawBody: string,
    hints: {
      limit: number | undefined;
      remaining: number | undefined;
      retryAfterMs: number | undefined;
    },
  ) {
    super(429, headers, body, rawBody);
    this.limit = hints.limit;
    this.remaining = hints.remaining;
    this.retryAfterMs = hints.retryAfterMs;
  }
}

/** Any 5xx. The request may or may not have taken effect. */
export class InternalServerError extends APIError {
  override name = "InternalServerError";
}

/** A status the contract does not describe (and, for a 2xx, a body that is not a JSON object). */
export class UnexpectedStatusError extends APIError {
  override name = "UnexpectedStatusError";
}

/** The request did not get a response: DNS, TCP, TLS or a dropped connection. */
export class APIConnectionError extends LoopsError {
  override name = "APIConnectionError";
}

/** No response within the timeout. The request may or may not have taken effect. */
export class APIConnectionTimeoutError extends APIConnectionError {
  override name = "APIConnectionTimeoutError";
}

/** The caller's `signal` aborted the call. */
export class APIUserAbortError extends LoopsError {
  override name = "APIUserAbortError";
}

/** One way a response departs from the contract. It never carries a value from the response. */
export interface ResponseDrift {
  where: "status" | "header" | "body";
  /** The header's name, the JSON pointer into the body (`/data/0/status`), or "" for the status. */
  location: string;
  kind:
    | "undocumented-status"
    | "missing-header"
    | "header-value"
    | "missing-body"
    | "missing-field"
    | "type"
    | "enum"
    | "constraint"
    | "no-alternative";
  /** What the contract documents: a type, the enum's values, a constraint. */
  expected: string;
  /** What came: a type, an enum-like code, "absent"; never free text. */
  actual: string;
}

export interface ResponseValidationDetails {
  operationId: string;
  /** The HTTP method, upper case. */
  method: string;
  /** The contract's path template, never the concrete URL. */
  path: string;
  status: number;
  drifts: ResponseDrift[];
  /** The operation, the status and one line per drift. */
  message: string;
}

/**
 * With `validateResponses: "throw"`: the response does not match the contract (a missing required
 * field or header, a changed type, a value outside a closed enum). For an error status, `cause` is
 * the status error the response would otherwise have thrown.
 */
export class ResponseValidationError extends LoopsError {
  override name = "ResponseValidationError";
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly drifts: readonly ResponseDrift[];

  constructor(details: ResponseValidationDetails, options?: ErrorOptions) {
    super(details.message, options);
    this.operationId = details.operationId;
    this.method = details.method;
    this.path = details.path;
    this.status = details.status;
    this.drifts = details.drifts;
  }
}

function describeResponse(status: number, body: unknown, rawBody: string): string {
  if (isErrorBody(body)) return `${status} ${body.message}`;
  if (rawBody === "") return `${status} status code (no body)`;
  return `${status} status code (body is not JSON)`;
}

function isErrorBody(body: unknown): body is ErrorBody {
  return (
    typeof body === "object" && body !== null && typeof Reflect.get(body, "message") === "string"
  );
}
