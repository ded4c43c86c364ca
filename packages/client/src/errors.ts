import type { ErrorBody } from "./types.js";

/**
 * The base class of every error this package throws. Thrown as itself for a request the client
 * refused to send (an invalid path parameter, `refuseProduction`) or a `fetch` refused before any
 * network (a request that cannot be built, an in-process mock's path it lacks): never retried.
 */
export class LoopsError extends Error {
  override name = "LoopsError";
}

/**
 * The API answered with a status other than 2xx. `Body` is the JSON body the contract documents for
 * the status: `OperationError<operations["getCampaign"]>` types each error an operation can throw.
 */
export class APIError<Body = unknown> extends LoopsError {
  // Types only: `instanceof` narrows an `unknown` to the class with an `unknown` body (TypeScript
  // would otherwise give `any`), and a union of typed errors to its member of that class.
  declare static [Symbol.hasInstance]: <Instance>(
    this: abstract new (
      ...args: never[]
    ) => Instance,
    value: unknown,
  ) => value is Instance;
  override name = "APIError";
  // The fields are declared and set by one `Object.assign`: class fields cost bytes in the bundle.
  /** The HTTP status code. */
  declare readonly status: number;
  /** The response headers (never the request's, so never the API key). */
  declare readonly headers: Headers;
  /** The parsed JSON body, or `undefined` when the body is empty or not JSON. */
  declare readonly body: Body | undefined;
  /** The body as received: proxies and load balancers can answer with HTML or nothing. */
  declare readonly rawBody: string;

  constructor(
    status: number,
    headers: Headers,
    body: Body | undefined,
    rawBody: string,
    message?: string,
  ) {
    super(message ?? describeResponse(status, body, rawBody));
    Object.assign(this, { status, headers, body, rawBody });
  }
}

/** 400: the body or a parameter is invalid (the message says which), or a referenced resource is unusable. */
export class BadRequestError<Body = unknown> extends APIError<Body> {
  override name = "BadRequestError" as const;
  declare readonly status: 400;
}

/** 401: the API key is invalid, or the content API is not enabled for the team. */
export class AuthenticationError<Body = unknown> extends APIError<Body> {
  override name = "AuthenticationError" as const;
  declare readonly status: 401;
}

/** 404: the resource in the path, or one the body refers to, does not exist. */
export class NotFoundError<Body = unknown> extends APIError<Body> {
  override name = "NotFoundError" as const;
  declare readonly status: 404;
}

/** 405: the path does not take this HTTP method. */
export class MethodNotAllowedError<Body = unknown> extends APIError<Body> {
  override name = "MethodNotAllowedError" as const;
  declare readonly status: 405;
}

/**
 * 409: the request conflicts with the resource's state, for example a stale `expectedRevisionId` on an
 * email message update. Never retried by the client: re-read the resource, then decide.
 */
export class ConflictError<Body = unknown> extends APIError<Body> {
  override name: "ConflictError" | "IdempotencyKeyReusedError" = "ConflictError";
  declare readonly status: 409;
}

/**
 * 409 on a retry of a call that sent an idempotency key: an earlier attempt of the call reached
 * Loops (its answer was lost to a timeout, a 5xx or a dropped connection), so Loops most likely
 * did what it asked. Not retried; sending it again with a new key could do it twice.
 */
export class IdempotencyKeyReusedError<Body = unknown> extends ConflictError<Body> {
  override name = "IdempotencyKeyReusedError" as const;
  /** The key every attempt of the call sent. */
  declare readonly idempotencyKey: string;
  /** The attempts the call made, this one included. */
  declare readonly attempts: number;

  constructor(conflict: ConflictError<Body>, idempotencyKey: string, attempts: number) {
    const { headers, body, rawBody } = conflict;
    super(409, headers, body, rawBody, `${conflict.message} An earlier attempt reached Loops.`);
    Object.assign(this, { idempotencyKey, attempts });
  }
}

/** 413: the request body is over the size the API accepts. */
export class PayloadTooLargeError<Body = unknown> extends APIError<Body> {
  override name = "PayloadTooLargeError" as const;
  declare readonly status: 413;
}

/** 422: the body is well-formed but its content cannot be processed (for example, it does not compile). */
export class UnprocessableEntityError<Body = unknown> extends APIError<Body> {
  override name = "UnprocessableEntityError" as const;
  declare readonly status: 422;
}

/**
 * 429: over a rate limit; the request was not processed. With `remaining` above 0 it is not the
 * per-second limit but a longer one (a daily cap), which the client does not wait out.
 */
export class RateLimitError<Body = unknown> extends APIError<Body> {
  override name = "RateLimitError" as const;
  declare readonly status: 429;
  /** `x-ratelimit-limit`: requests allowed per second. */
  declare readonly limit: number | undefined;
  /** `x-ratelimit-remaining`: requests left in the current window. */
  declare readonly remaining: number | undefined;
  /** The wait the server asked for (`Retry-After`, or the rest of the window when `remaining` is 0). */
  declare readonly retryAfterMs: number | undefined;

  constructor(
    headers: Headers,
    body: Body | undefined,
    rawBody: string,
    hints: {
      limit: number | undefined;
      remaining: number | undefined;
      retryAfterMs: number | undefined;
    },
  ) {
    super(429, headers, body, rawBody);
    Object.assign(this, hints);
  }
}

/** Any 5xx. The request may or may not have taken effect. */
export class InternalServerError<Body = unknown> extends APIError<Body> {
  override name = "InternalServerError" as const;
}

/** A status the contract does not describe (and, for a 2xx, a body that is not a JSON object). */
export class UnexpectedStatusError<Body = unknown> extends APIError<Body> {
  override name = "UnexpectedStatusError" as const;
}

/**
 * The class the client throws for each status the contract documents, with the body
 * the contract documents for it; a 5xx is an `InternalServerError`, any other status an
 * `UnexpectedStatusError`.
 */
export interface ErrorByStatus<Body> {
  400: BadRequestError<Body>;
  401: AuthenticationError<Body>;
  404: NotFoundError<Body>;
  405: MethodNotAllowedError<Body>;
  409: ConflictError<Body>;
  413: PayloadTooLargeError<Body>;
  422: UnprocessableEntityError<Body>;
  429: RateLimitError<Body>;
}

/**
 * The request was sent and got no response: DNS, TCP, TLS or a dropped connection. The message
 * names the method, the URL and the cause.
 */
export class APIConnectionError extends LoopsError {
  override name = "APIConnectionError";
}

/** No response within the timeout. The request may or may not have taken effect. */
export class APIConnectionTimeoutError extends APIConnectionError {
  override name = "APIConnectionTimeoutError" as const;
}

/** The caller's `signal` aborted the call. */
export class APIUserAbortError extends LoopsError {
  override name = "APIUserAbortError" as const;
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
  override name = "ResponseValidationError" as const;
  declare readonly operationId: string;
  declare readonly method: string;
  declare readonly path: string;
  declare readonly status: number;
  declare readonly drifts: readonly ResponseDrift[];

  constructor(details: ResponseValidationDetails, options?: ErrorOptions) {
    super(details.message, options);
    Object.assign(this, details);
  }
}

function describeResponse(status: number, body: unknown, rawBody: string): string {
  const message = (body as Partial<ErrorBody> | null)?.message;
  if (typeof message === "string") return `${status} ${message}`;
  return `${status} status code (${rawBody === "" ? "no body" : "body is not JSON"})`;
}
