// The mock as a function from a Fetch `Request` to a `Response`: routing, request checks, Prism
// (security, example selection, generated bodies) and the sandbox. `node:http`, an in-process
// `fetch` and MSW are adapters over it.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import {
  contract,
  type JsonObject,
  type Operation,
  resolve,
  validatorAt,
} from "@loops-contract/spec";
import { createLogger } from "@stoplight/prism-core";
import {
  createInstance,
  getHttpOperationsFromSpec,
  type IHttpConfig,
  type IHttpNameValue,
  type IHttpNameValues,
  type IHttpRequest,
  type IHttpResponse,
} from "@stoplight/prism-http";
import { parse as parseContentType } from "content-type";
import { coherentBody, freshId } from "./coherent.js";
import { explainFaults } from "./faults.js";
import { type Preferences, parsePrefer } from "./prefer.js";
import { RateLimiter, type RateLimitState } from "./rate-limit.js";
import { allowFor, headerExamples, type Route, responseFor, route } from "./routes.js";
import { Sandbox, type SandboxLimits, StoredShapeError } from "./sandbox.js";

export interface MockBehaviour {
  /** Generate bodies from the schemas instead of serving the contract's examples. */
  dynamic?: boolean | undefined;
  /** Seed for dynamic mode, so generated bodies are reproducible. */
  seed?: number | undefined;
  /** Serve the examples verbatim: no request fields merged in, no fresh ids. */
  static?: boolean | undefined;
  /** Requests per second per API key; `true` for the contract's documented limit. Off by default. */
  rateLimit?: number | boolean | undefined;
  /** Answer every request on its own, from the examples, remembering nothing. */
  stateless?: boolean | undefined;
  /** Start every API key as a new team: only the reserved records (the default group). */
  empty?: boolean | undefined;
  /** Caps on the sandbox's memory: API keys kept, created records per key and resource. */
  limits?: SandboxLimits | undefined;
}

const maxRememberedVerdicts = 10_000;

/** Bodies beyond this are not read: 413 where the operation documents it, 400 elsewhere. */
export const maxBodyBytes = 1024 * 1024;

const rateLimitLimit = "x-ratelimit-limit";
const rateLimitRemaining = "x-ratelimit-remaining";
const utf8 = new TextDecoder("utf-8", { fatal: true });

type PrismOperation = Awaited<ReturnType<typeof getHttpOperationsFromSpec>>[number];

/** An answer before it is a `Response`: what an adapter writes. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  /** JSON, or `undefined` for no body. */
  body: unknown;
}

export interface ReadBody {
  bytes: Buffer;
  tooLarge: boolean;
}

/** What the engine reads of a request besides its body: a Fetch `Request` is one. */
export interface RequestHead {
  method: string;
  url: string;
  headers: Headers;
}

/** Reads at most one byte past the limit: what is beyond it is never held in memory. */
async function readBody(request: Request): Promise<ReadBody> {
  if (request.body === null) return { bytes: Buffer.alloc(0), tooLarge: false };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBodyBytes) {
      await reader.cancel();
      return { bytes: Buffer.alloc(0), tooLarge: true };
    }
    chunks.push(value);
  }
  return { bytes: Buffer.concat(chunks), tooLarge: false };
}

function queryOf(searchParams: URLSearchParams): IHttpNameValues {
  const query: IHttpNameValues = {};
  for (const key of new Set(searchParams.keys())) {
    const values = searchParams.getAll(key);
    query[key] = values.length === 1 ? (values[0] as string) : values;
  }
  return query;
}

type BodyCheck = { ok: true; body: unknown } | { ok: false; fault: string };

/** Reads and validates a request body against the operation's schema, naming the fault. */
function checkBody(operation: Operation, request: RequestHead, bytes: Buffer): BodyCheck {
  const requestBody = operation.requestBody;
  if (requestBody === undefined) return { ok: true, body: undefined };
  if (bytes.length === 0) {
    return requestBody.required
      ? { ok: false, fault: "Invalid request body: a JSON body is required." }
      : { ok: true, body: undefined };
  }
  const contentType = request.headers.get("content-type") ?? "";
  if (parseContentType(contentType).type !== "application/json") {
    return {
      ok: false,
      fault: `Invalid request body: Content-Type must be application/json, got '${contentType}'.`,
    };
  }
  let body: unknown;
  try {
    body = JSON.parse(utf8.decode(bytes));
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : "it is not UTF-8";
    return { ok: false, fault: `Invalid request body: not valid JSON (${reason}).` };
  }
  const validate = validatorAt(requestBody.schemaPointer);
  if (validate(body)) return { ok: true, body };
  const faults = explainFaults(requestBody.schemaPointer, body);
  const shown = faults.slice(0, 3).join("; ");
  const more = faults.length > 3 ? ` (and ${faults.length - 3} more)` : "";
  return { ok: false, fault: `Invalid request body: ${shown}${more}.` };
}

function schemaTypes(schemaPointer: string): string[] {
  return [resolve(schemaPointer).node.type ?? []].flat().map(String);
}

/** A query or path value as the schema's type reads it: `"2"` is 2 for an integer. */
function typed(schemaPointer: string, raw: string): unknown {
  const types = schemaTypes(schemaPointer);
  if ((types.includes("integer") || types.includes("number")) && /^-?\d+(\.\d+)?$/.test(raw)) {
    return Number(raw);
  }
  if (types.includes("boolean") && (raw === "true" || raw === "false")) return raw === "true";
  return raw;
}

/** Checks path and query parameters against their schemas, naming the first fault. */
function checkParameters(
  operation: Operation,
  pathParameters: Record<string, string>,
  query: URLSearchParams,
): string | undefined {
  for (const parameter of [...operation.pathParameters, ...operation.queryParameters]) {
    const where = parameter.in === "path" ? "path parameter" : "query parameter";
    const values =
      parameter.in === "path"
        ? [pathParameters[parameter.name] ?? ""]
        : query.getAll(parameter.name);
    if (values.length === 0) {
      if (parameter.required)
        return `Invalid request: the required ${where} '${parameter.name}' is missing.`;
      continue;
    }
    const value = schemaTypes(parameter.schemaPointer).includes("array")
      ? values
      : typed(parameter.schemaPointer, values.at(-1) as string);
    if (validatorAt(parameter.schemaPointer)(value)) continue;
    const faults = explainFaults(parameter.schemaPointer, value, parameter.name);
    return `Invalid request: ${where} ${faults.join("; ")}.`;
  }
  return undefined;
}

/** Checks a preference against what the operation documents, before Prism looks for it. */
function checkPreferences(operation: Operation, preferences: Preferences): string | undefined {
  const { code, example } = preferences;
  if (example === undefined) return undefined;
  const responses =
    code === undefined
      ? operation.responses
      : operation.responses.filter((r) => r.status === String(code));
  const names = responses.flatMap((response) => response.body?.examples ?? []).map((e) => e.name);
  if (names.includes(example)) return undefined;
  const where = code === undefined ? "" : ` for ${code}`;
  return `Prefer: example=${example} is not an example of this operation${where}; it has ${names.join(", ") || "none"}.`;
}

/** The documented `{ message }` body for a status, or its first example if that does not fit. */
function messageBody(operation: Operation | undefined, status: number, message: string): unknown {
  const response = operation && responseFor(operation, status);
  if (response === undefined) return { message };
  if (response.body === undefined) return undefined;
  const body = { message };
  if (validatorAt(response.body.schemaPointer)(body)) return body;
  return response.body.examples[0]?.value ?? body;
}

/** A hash of the contract, to tell whether operations read at build time are still its own. */
export function contractHash(document: unknown): string {
  return createHash("sha256").update(JSON.stringify(document)).digest("hex");
}

/**
 * Prism's reading of the contract. Reading it takes Prism a few hundred cold milliseconds, so the
 * build stores the result (`dist/prism-operations.json`, JSON of the documented output of
 * `getHttpOperationsFromSpec`); it is used only if it was read from this very contract.
 */
async function prismOperationsOf(document: JsonObject): Promise<PrismOperation[]> {
  try {
    const stored = JSON.parse(
      await readFile(new URL("./prism-operations.json", import.meta.url), "utf8"),
    ) as { contract: string; operations: PrismOperation[] };
    if (stored.contract === contractHash(document)) return stored.operations;
  } catch {
    // Not built (running from src/), or unreadable: read the contract now.
  }
  // Prism's dereferencer rewrites the document it gets: it gets its own copy.
  return getHttpOperationsFromSpec(structuredClone(document));
}

export interface MockEngine {
  /** Answers one request as the mock does; never rejects. */
  (request: Request): Promise<Response>;
  /**
   * The same, for an adapter that has the body already and writes the answer itself (the HTTP
   * server): no stream is read and no `Response` made.
   */
  respond(request: RequestHead, body: () => Promise<ReadBody>): Promise<Answer>;
  /** How many operations it serves. */
  operationCount: number;
  /** Requests per second per API key, when rate limiting is on. */
  rateLimit: number | undefined;
  /** What each API key created and changed; `undefined` when stateless. */
  sandbox: Sandbox | undefined;
}

/** Where the sandbox's own controls live: outside every path the contract could have. */
export const controlPrefix = "/_sandbox/";

/** The paths of the contract's server URLs (`/api`), under which its operations are also served. */
const basePaths: string[] = (Array.isArray(contract.servers) ? contract.servers : [])
  .map((server) => {
    try {
      return new URL(String((server as JsonObject).url)).pathname.replace(/\/$/, "");
    } catch {
      return "";
    }
  })
  .filter((path) => path !== "")
  .sort((a, b) => b.length - a.length);

/** The request path as the contract writes it: without a server URL's base path. */
export function contractPathOf(pathname: string): string {
  for (const base of basePaths) {
    if (pathname.startsWith(`${base}/`)) return pathname.slice(base.length);
  }
  return pathname;
}

/** The API key of a `Bearer` authorization: the scheme in any case, the token trimmed. */
export function apiKeyOf(authorization: string | null): string | undefined {
  const match = /^bearer\s+(.*)$/is.exec(authorization ?? "");
  const token = match?.[1]?.trim();
  return token ? token : undefined;
}

/** The sandbox a behaviour asks for: none when stateless. */
export function sandboxFor(behaviour: MockBehaviour): Sandbox | undefined {
  const stateless = Boolean(behaviour.stateless || behaviour.static || behaviour.dynamic);
  return stateless ? undefined : new Sandbox({ empty: behaviour.empty, limits: behaviour.limits });
}

/**
 * Loads the contract into Prism and returns the engine, with the sandbox given (made at once by
 * an adapter that loads the engine later); nothing listens.
 */
export async function createMockEngine(
  behaviour: MockBehaviour = {},
  sandbox: Sandbox | undefined = sandboxFor(behaviour),
): Promise<MockEngine> {
  const prismOperations = await prismOperationsOf(contract);
  const prismOperationFor = new Map<Operation["path"], PrismOperation>(
    prismOperations.map((operation) => [`${operation.method} ${operation.path}`, operation]),
  );
  // Prism checks security and picks examples; the request was checked by the contract's one validator.
  const prismConfig: IHttpConfig = {
    checkSecurity: true,
    validateRequest: false,
    validateResponse: false,
    errors: false,
    upstreamProxy: undefined,
    isProxy: false,
    mock: { dynamic: false },
  };
  const prism = createInstance(prismConfig, { logger: createLogger("MOCK", { level: "silent" }) });
  /** Prism's security verdicts, by operation and Authorization header; bounded, as keys are. */
  const securityVerdicts = new Map<string, "allowed" | "refused">();
  const remember = (key: string, verdict: "allowed" | "refused") => {
    if (securityVerdicts.size >= maxRememberedVerdicts) securityVerdicts.clear();
    securityVerdicts.set(key, verdict);
  };
  const documentedLimit = Number(headerExamples.get(rateLimitLimit) ?? 10);
  const limiter =
    behaviour.rateLimit === undefined || behaviour.rateLimit === false
      ? undefined
      : new RateLimiter(behaviour.rateLimit === true ? documentedLimit : behaviour.rateLimit);
  const seed = behaviour.seed === undefined ? undefined : String(behaviour.seed);

  /** Headers the contract documents for this answer, with the limiter's and `Allow`'s values. */
  function headersFor(
    operation: Operation | undefined,
    status: number,
    rate: RateLimitState | undefined,
    allow: string | undefined,
  ): Record<string, string> {
    const response = operation && responseFor(operation, status);
    const names = response
      ? response.headers.map((header) => header.name.toLowerCase())
      : [rateLimitLimit, rateLimitRemaining];
    const headers: Record<string, string> = {};
    for (const name of names) {
      const value = name === "allow" ? allow : headerExamples.get(name);
      if (value !== undefined) headers[name] = value;
    }
    return withLimits(headers, rate);
  }

  function withLimits(
    headers: Record<string, string>,
    rate: RateLimitState | undefined,
  ): Record<string, string> {
    if (rate === undefined) return headers;
    headers[rateLimitLimit] = String(rate.limit);
    headers[rateLimitRemaining] = String(rate.remaining);
    return headers;
  }

  function made(
    operation: Operation | undefined,
    status: number,
    message: string,
    rate: RateLimitState | undefined,
    allow?: string,
  ): Answer {
    const body = messageBody(operation, status, message);
    const headers = headersFor(operation, status, rate, allow);
    return { status, headers, body };
  }

  function idFor(
    operation: Operation,
    status: number,
    pathParameters: Record<string, string>,
  ): string | undefined {
    if (behaviour.dynamic) return undefined;
    const last = /^\{(.+)\}$/.exec(operation.path.split("/").at(-1) ?? "")?.[1];
    if (last !== undefined) return pathParameters[last];
    return status === 201 ? freshId() : undefined;
  }

  async function answer(
    request: RequestHead,
    url: URL,
    target: Route,
    read: ReadBody,
  ): Promise<Answer> {
    if (target.kind === "noPath") {
      return made(undefined, 404, `No operation at ${request.method} ${url.pathname}.`, undefined);
    }
    const operations = target.kind === "operation" ? [target.operation] : target.operations;
    // The same key as the sandbox's: `bearer k` and `Bearer  k` share one window.
    const authorization = request.headers.get("authorization") ?? "";
    const rate = limiter?.take(apiKeyOf(authorization) ?? authorization);
    if (rate?.exceeded) {
      const operation = operations[0] as Operation;
      const response = responseFor(operation, 429);
      return {
        status: 429,
        headers: headersFor(operation, 429, rate, undefined),
        body: response?.body?.examples[0]?.value ?? { message: "Too many requests." },
      };
    }
    if (target.kind === "wrongMethod") {
      const message = `${request.method} is not allowed here; use ${target.allow}.`;
      return made(target.operations[0], 405, message, rate, target.allow);
    }
    const { operation, pathParameters } = target;
    if (read.tooLarge) {
      const status = responseFor(operation, 413) ? 413 : 400;
      return made(operation, status, `Request body is over ${maxBodyBytes} bytes.`, rate);
    }
    const parsed = parsePrefer(request.headers.get("prefer") ?? undefined);
    if (!parsed.ok) return made(operation, 400, parsed.message, rate);
    const { preferences } = parsed;
    const preferenceFault = checkPreferences(operation, preferences);
    if (preferenceFault !== undefined) return made(operation, 400, preferenceFault, rate);
    const checked = checkBody(operation, request, read.bytes);
    const parameterFault = checkParameters(operation, pathParameters, url.searchParams);

    // Asked for a status the operation does not document (a 503 to test retries): it gets one.
    if (preferences.code !== undefined && responseFor(operation, preferences.code) === undefined) {
      const message = `Status ${preferences.code} as asked with Prefer; the contract does not document it here.`;
      return made(undefined, preferences.code, message, rate);
    }

    const headers: IHttpNameValue = {};
    for (const [name, value] of request.headers) {
      // Prism would negotiate `Accept`; Loops answers JSON whatever it says.
      if (name === "accept" || name === "prefer") continue;
      headers[name] = value;
    }
    // An authentication scheme is case-insensitive (RFC 9110); Prism only knows `Bearer`.
    const apiKey = apiKeyOf(request.headers.get("authorization"));
    if (apiKey !== undefined) headers.authorization = `Bearer ${apiKey}`;
    // Prism parses Content-Type and throws on one it cannot read: it gets only the one checked.
    delete headers["content-type"];
    if (checked.ok && checked.body !== undefined) headers["content-type"] = "application/json";
    const input: IHttpRequest = {
      method: operation.method,
      url: { path: contractPathOf(url.pathname), query: queryOf(url.searchParams) },
      headers,
      body: checked.ok ? checked.body : undefined,
    };
    const dynamic = preferences.dynamic ?? behaviour.dynamic ?? false;
    const config: IHttpConfig = {
      ...prismConfig,
      mock: {
        dynamic,
        ...(preferences.code === undefined ? {} : { code: preferences.code }),
        ...(preferences.example === undefined ? {} : { exampleKey: preferences.example }),
        ...(seed === undefined ? {} : { seed }),
      },
    };
    /** Prism's answer as the mock sends it: `Allow` and named header examples set right. */
    const prismAnswer = (output: IHttpResponse): Answer => {
      const status = output.statusCode;
      const answerHeaders: Record<string, string> = {};
      for (const [name, value] of Object.entries(output.headers ?? {})) {
        if (value !== null && value !== undefined)
          answerHeaders[name.toLowerCase()] = String(value);
      }
      if ("allow" in answerHeaders) answerHeaders.allow = allowFor(contractPathOf(url.pathname));
      let body = output.body;
      const response = responseFor(operation, status);
      // Prism always sends a header's first example; the one named like the body example goes with it.
      const exampleName = preferences.example ?? response?.body?.examples[0]?.name;
      for (const header of response?.headers ?? []) {
        const named = header.examples.find((example) => example.name === exampleName);
        if (named !== undefined) answerHeaders[header.name.toLowerCase()] = String(named.value);
      }
      if (
        !behaviour.static &&
        preferences.example === undefined &&
        status >= 200 &&
        status < 300 &&
        checked.ok &&
        checked.body !== undefined &&
        response?.body !== undefined
      ) {
        body = coherentBody({
          request: checked.body,
          example: body,
          id: idFor(operation, status, pathParameters),
          validate: validatorAt(response.body.schemaPointer),
        });
      }
      return { status, headers: withLimits(answerHeaders, rate), body };
    };

    let output: IHttpResponse | undefined;
    const remembered =
      sandbox !== undefined &&
      preferences.code === undefined &&
      preferences.example === undefined &&
      preferences.dynamic !== true &&
      sandbox.handles(operation);
    // The sandbox needs only Prism's security verdict, which depends on nothing but the operation
    // and the Authorization header: one asked for once is remembered, so a key's later requests
    // skip Prism's example selection, whose answer the sandbox would throw away.
    const verdictKey = `${operation.pointer}\n${request.headers.get("authorization") ?? ""}`;
    if (!(remembered && securityVerdicts.get(verdictKey) === "allowed")) {
      const prismOperation = prismOperationFor.get(`${operation.method} ${operation.path}`);
      if (prismOperation === undefined) throw new Error(`Prism did not read ${operation.pointer}`);
      const result = await prism.request(input, [prismOperation], config)();
      if (result._tag === "Left") {
        const error = result.left as Error & { status?: number; detail?: string };
        const status = error.status !== undefined && error.status < 500 ? error.status : 500;
        return made(operation, status, error.detail ?? error.message, rate);
      }
      output = result.right.output;
      if (remembered) remember(verdictKey, output.statusCode === 401 ? "refused" : "allowed");
      // Prism's security check (or a 401 asked for) comes first, as at Loops.
      if (output.statusCode === 401) return prismAnswer(output);
    }
    if (parameterFault !== undefined) return made(operation, 400, parameterFault, rate);
    if (!checked.ok) return made(operation, 400, checked.fault, rate);

    if (remembered) {
      const result = sandbox.answer({
        key: apiKey ?? "",
        operation,
        pathParameters,
        query: url.searchParams,
        body: checked.ok ? checked.body : undefined,
        url,
      });
      const headers = headersFor(operation, result.status, rate, undefined);
      const response = responseFor(operation, result.status);
      for (const header of response?.headers ?? []) {
        const named = header.examples.find((example) => example.name === result.example);
        if (named !== undefined) headers[header.name.toLowerCase()] = String(named.value);
      }
      return { status: result.status, headers: withLimits(headers, rate), body: result.body };
    }

    // Not for the sandbox: Prism was asked above.
    return prismAnswer(output as IHttpResponse);
  }

  async function control(
    request: RequestHead,
    url: URL,
    body: () => Promise<ReadBody>,
  ): Promise<Answer> {
    const none = { "content-type": "application/json" };
    const key = apiKeyOf(request.headers.get("authorization"));
    if (key === undefined) {
      return {
        status: 401,
        headers: none,
        body: { message: "Send the API key whose sandbox to change: Authorization: Bearer <key>." },
      };
    }
    if (sandbox === undefined) {
      return {
        status: 404,
        headers: none,
        body: { message: "This mock is stateless: it has no sandbox to change." },
      };
    }
    const action = url.pathname.slice(url.pathname.indexOf(controlPrefix) + controlPrefix.length);
    if (request.method !== "POST" || (action !== "advance-clock" && action !== "reset")) {
      return {
        status: 404,
        headers: none,
        body: {
          message: `No sandbox control at ${request.method} ${url.pathname}; there are POST ${controlPrefix}advance-clock and POST ${controlPrefix}reset.`,
        },
      };
    }
    if (action === "reset") {
      sandbox.reset(key);
      return {
        status: 200,
        headers: none,
        body: { now: new Date(sandbox.now(key)).toISOString() },
      };
    }
    const read = await body();
    let milliseconds: unknown;
    try {
      milliseconds = (JSON.parse(utf8.decode(read.bytes)) as JsonObject).milliseconds;
    } catch {
      milliseconds = undefined;
    }
    if (typeof milliseconds !== "number" || !Number.isInteger(milliseconds) || milliseconds < 0) {
      return {
        status: 400,
        headers: none,
        body: {
          message:
            'Send a JSON body { "milliseconds": <whole number >= 0> }: the clock only moves forward.',
        },
      };
    }
    const now = sandbox.advanceClock(key, milliseconds);
    return { status: 200, headers: none, body: { now: new Date(now).toISOString() } };
  }

  async function respond(request: RequestHead, body: () => Promise<ReadBody>): Promise<Answer> {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return { status: 400, headers: {}, body: { message: "The request URL cannot be read." } };
    }
    try {
      const path = contractPathOf(url.pathname);
      if (path.startsWith(controlPrefix)) return await control(request, url, body);
      let target: Route;
      try {
        target = route(request.method.toLowerCase(), path);
      } catch {
        target = { kind: "noPath" };
      }
      return await answer(request, url, target, await body());
    } catch (error) {
      // Only a defect of the mock itself gets here (a stored record that no longer fits the
      // contract among them); the tests keep it unreachable.
      const message =
        error instanceof StoredShapeError ? error.message : `The mock failed: ${String(error)}`;
      return { status: 500, headers: {}, body: { message } };
    }
  }

  const engine = async (request: Request): Promise<Response> =>
    toResponse(await respond(request, () => readBody(request)));
  return Object.assign(engine, {
    respond,
    operationCount: prismOperations.length,
    rateLimit: limiter?.limit,
    sandbox,
  });
}

function toResponse({ status, headers, body }: Answer): Response {
  if (body === undefined) {
    const { "content-type": _, ...withoutType } = headers;
    return new Response(null, { status, headers: withoutType });
  }
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...headers, "content-type": "application/json" },
  });
}
