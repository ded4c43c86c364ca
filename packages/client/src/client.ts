import createClient, { type Client } from "openapi-fetch";
import {
  checkMaxRetries,
  checkTimeout,
  createSend,
  type Logger,
  type OperationDescriptor,
  type OperationInput,
  pathParameterNames,
  type RequestOptions,
  type Send,
} from "./core.js";
import { LoopsError } from "./errors.js";
import type { Call } from "./operation-types.js";
import { PagePromise } from "./pagination.js";
import {
  DEFAULT_BASE_URL,
  PRODUCTION_HOSTNAME,
  type Resources,
  resources,
} from "./resources.gen.js";
import type { operations, paths } from "./schema.gen.js";

export { DEFAULT_BASE_URL };
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 2;

export interface LoopsClientOptions {
  /** Your Loops API key. Keep it on your server: Loops blocks browser calls by design. */
  apiKey: string;
  /**
   * An absolute http(s) URL; anything else (`""`, `"undefined"`) throws at construction. Left out
   * (or `undefined`): the Loops API, `https://app.loops.so/api`.
   */
  baseUrl?: string | undefined;
  /** Any fetch-compatible function. Default: `globalThis.fetch`, looked up on every request. */
  fetch?: typeof fetch | undefined;
  /**
   * For tests: refuse, before any network, every request to the Loops API's host, with a
   * `LoopsError`. Left out: on when the environment variable `LOOPS_REFUSE_PRODUCTION` is set to
   * anything but `0` or `false` (read once, here, where `process` exists), else off.
   */
  refuseProduction?: boolean | undefined;
  /** Per attempt, in milliseconds. Default 30 000. */
  timeoutMs?: number | undefined;
  /** Retries of what may be retried (see `retryOnServerErrors`). Default 2. */
  maxRetries?: number | undefined;
  /**
   * Whether a 5xx, timeout or dropped connection is retried. By default (`undefined`) only for
   * operations the contract marks idempotent; `true` for every operation, `false` for none.
   */
  retryOnServerErrors?: boolean | undefined;
  /** Extra headers sent with every request. They cannot replace `Authorization`. */
  headers?: Record<string, string> | undefined;
  /** Sent as `User-Agent`. */
  userAgent?: string | undefined;
  /**
   * Checks every response (status, required headers, body) against the contract: `"warn"` logs a
   * drift through `logger`, `"throw"` throws a `ResponseValidationError`. Default off: the
   * validators are then never loaded.
   */
  validateResponses?: "warn" | "throw" | undefined;
  /** Where `validateResponses: "warn"` writes. Default `console`. */
  logger?: Logger | undefined;
}

export type LoopsClient = Resources & {
  /**
   * Any operation by its operationId, through the same pipeline as the named methods:
   * `loops.call(operationId, { path, query, body }, options?)`. A list resolves to its first page.
   */
  call: Call<operations>;
  /** The plain openapi-fetch client: returns `{ data, error, response }` and never throws on a status. */
  raw: Client<paths>;
};

export function createLoopsClient(options: LoopsClientOptions): LoopsClient {
  const apiKey = checkApiKey(options?.apiKey);
  const baseUrl = checkBaseUrl(options.baseUrl);
  const refuseProduction = options.refuseProduction ?? refuseProductionFromEnvironment();
  // Looked up on every request, so a `fetch` replaced after the client was made (MSW) is used.
  const baseFetch: typeof fetch = (input, init) => {
    const url = refuseProduction && new URL((input as Request).url ?? input);
    if (url && url.hostname === PRODUCTION_HOSTNAME) {
      throw new LoopsError(
        `Refused ${url}: refuseProduction (or LOOPS_REFUSE_PRODUCTION) is on; give the client your mock's baseUrl.`,
      );
    }
    return (options.fetch ?? globalThis.fetch)(input, init);
  };
  const headers: Record<string, string> = { ...options.headers, Accept: "application/json" };
  if (options.userAgent !== undefined) headers["User-Agent"] = options.userAgent;
  headers.Authorization = `Bearer ${apiKey}`;

  const raw = createClient<paths>({ baseUrl, fetch: baseFetch, headers });
  const send = createSend({
    apiKey,
    baseUrl,
    fetch: baseFetch,
    headers,
    timeoutMs: checkTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    maxRetries: checkMaxRetries(options.maxRetries ?? DEFAULT_MAX_RETRIES),
    retryOnServerErrors: options.retryOnServerErrors,
    validateResponses: checkValidateResponses(options.validateResponses),
    logger: options.logger,
  });

  const byOperationId = new Map<string, OperationDescriptor>();
  const namespaces: Record<string, Record<string, unknown>> = {};
  for (const [namespace, methods] of Object.entries(resources)) {
    const bound: Record<string, unknown> = {};
    for (const [name, operation] of Object.entries(methods) as [string, OperationDescriptor][]) {
      bound[name] = bindMethod(send, operation);
      byOperationId.set(operation.operationId, operation);
    }
    namespaces[namespace] = bound;
  }
  const call = (operationId: string, input: OperationInput, requestOptions?: RequestOptions) => {
    const operation = byOperationId.get(operationId);
    if (!operation) return Promise.reject(new LoopsError(`No operation ${operationId}.`));
    return send(operation, input, requestOptions);
  };
  // The generated `Resources` type and the generated table describe the same operations.
  return { ...(namespaces as unknown as Resources), call: call as Call<operations>, raw };
}

/** The method's arguments, in the order the generated signature declares them. */
function bindMethod(send: Send, operation: OperationDescriptor) {
  const pathNames = pathParameterNames(operation.path);
  return (...args: unknown[]) => {
    let index = 0;
    const input: OperationInput = {};
    if (pathNames.length > 0) {
      input.path = {};
      for (const name of pathNames) input.path[name] = args[index++];
    }
    if (operation.body) input.body = args[index++];
    if (operation.customProperties) {
      // Named fields win over a custom property of the same name, as in Loops' own SDK.
      const { properties, ...named } = Object(input.body);
      input.body = { ...properties, ...named };
    }
    if (operation.query) input.query = args[index++] as Record<string, unknown> | undefined;
    const requestOptions = args[index] as RequestOptions | undefined;
    return operation.paginated
      ? new PagePromise(send, operation, input, requestOptions)
      : send(operation, input, requestOptions);
  };
}

function checkApiKey(apiKey: unknown): string {
  if (typeof apiKey !== "string" || apiKey.trim() === "") {
    throw new LoopsError(
      "Missing Loops API key: pass createLoopsClient({ apiKey }) a non-empty string.",
    );
  }
  if (/^\s*bearer\s/i.test(apiKey)) {
    throw new LoopsError('Pass the Loops API key without "Bearer ": the client adds it.');
  }
  try {
    new Headers({ Authorization: `Bearer ${apiKey}` });
  } catch {
    // Headers' own message would quote the key.
    throw new LoopsError("Invalid Loops API key: it contains characters not allowed in a header.");
  }
  return apiKey.trim();
}

function checkBaseUrl(baseUrl: unknown): string {
  if (baseUrl === undefined) return DEFAULT_BASE_URL;
  try {
    if (/^https?:$/.test(new URL(baseUrl as string).protocol)) return baseUrl as string;
  } catch {}
  throw new LoopsError(`baseUrl must be an absolute http(s) URL, got ${JSON.stringify(baseUrl)}.`);
}

/** Any value but `0`, `false` or none turns the guard on: a misspelt "on" must not leave it off. */
function refuseProductionFromEnvironment(): boolean {
  let value: string | undefined;
  try {
    // Only where `process` exists; a runtime that forbids reading the environment leaves it unset.
    value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env
      ?.LOOPS_REFUSE_PRODUCTION;
  } catch {}
  return !/^(0|false|)$/i.test(value ?? "");
}

function checkValidateResponses(mode: unknown): "warn" | "throw" | undefined {
  if (mode === undefined || mode === "warn" || mode === "throw") return mode;
  throw new LoopsError('validateResponses must be "warn" or "throw".');
}
