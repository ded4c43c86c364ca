// What the engine's steps share: one request's context, and a reply before its headers.
import type { Operation } from "@loops-contract/spec";
import { isObject, type JsonObject } from "@loops-contract/spec/json";
import type { ServedDocument } from "./documents.js";
import type { Preferences } from "./prefer.js";
import type { RateLimitState } from "./rate-limit.js";
import { documentedBy, type OperationRoute, type Route, responseFor } from "./routes.js";

/** What the engine reads of a request besides its body: a Fetch `Request` is one. */
export interface RequestHead {
  method: string;
  url: string;
  headers: Headers;
}

/** A request body as an adapter read it: at most one byte past the engine's limit. */
export interface ReadBody {
  bytes: Uint8Array;
  tooLarge: boolean;
}

/** A body that is not JSON: the inspector's page, or its event stream, which stays open. */
export interface RawBody {
  contentType: string;
  content: string | ReadableStream<Uint8Array>;
}

/** An answer before it is a `Response`: what an adapter writes. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  /** JSON, or `undefined` for no body. */
  body: unknown;
  /** Written in place of `body` when present. */
  raw?: RawBody | undefined;
}

/** One request on its way down the engine's steps; each step may fill in what it found. */
export interface RequestContext {
  readonly request: RequestHead;
  readonly url: URL;
  /** The path as its document writes it: without a server URL's base path. */
  readonly path: string;
  /** The document whose operations the path is looked up in. */
  readonly document: ServedDocument;
  readonly route: Route;
  readonly read: ReadBody;
  /** The `Bearer` token: it keys the sandbox and the rate limit, and is never echoed. */
  readonly apiKey: string | undefined;
  /** The rate limit step's count, when limiting is on. */
  rate: RateLimitState | undefined;
  /** What `Prefer` asks for, once the Prefer step has read it. */
  preferences: Preferences;
  /** The request body, once the body step has found it valid. */
  body: unknown;
}

/** What a step or a responder answers: the headers are decorated in one place, after. */
export interface Reply {
  status: number;
  /** JSON, or `undefined` for no body. */
  body: unknown;
  /** The named example the body is: the header examples named alike go with it. */
  example?: string | undefined;
  /** Header values the responder made itself (Prism's), kept unless an example names others. */
  headers?: Record<string, string> | undefined;
  /** A body that is not JSON, written in place of `body`. */
  raw?: RawBody | undefined;
}

/** A check: a reply ends the request there; `undefined` passes it to the next step. */
export type Step = (context: RequestContext) => Reply | undefined;

/** The engine's checks, by name, in its order: the journal says which one answered. */
export type CheckName =
  | "pathKnown"
  | "withinRateLimit"
  | "methodAllowed"
  | "bodyWithinLimit"
  | "preferencesDocumented"
  | "authenticated"
  | "controlsTakeJson"
  | "parametersValid"
  | "bodyValid";

/** The step that answered a request: a check, a responder, or `failure` (a defect, a 500). */
export type AnsweredBy = CheckName | Responder["name"] | "failure";

/** Makes the answer for a request every check let through; the engine picks exactly one. */
export interface Responder {
  readonly name: "control" | "sandbox" | "prism";
  takes(context: RequestContext, target: OperationRoute): boolean;
  answer(context: RequestContext, target: OperationRoute): Reply | Promise<Reply>;
}

/** The documented `{ message }` body for a status, or its first example if that does not fit. */
function messageBody(
  document: ServedDocument,
  operation: Operation | undefined,
  status: number,
  message: string,
): unknown {
  const response = operation && responseFor(operation, status);
  if (response === undefined) return { message };
  if (response.body === undefined) return undefined;
  const body = { ...constantFields(document, response.body.schemaPointer), message };
  if (document.validatorAt(response.body.schemaPointer)(body)) return body;
  return response.body.examples[0]?.value ?? body;
}

/** The fields a body's schema fixes to one value (`success: false`), which every such body has. */
function constantFields(document: ServedDocument, schemaPointer: string): JsonObject {
  const properties = document.schemaAt(schemaPointer).properties;
  const fixed: JsonObject = {};
  for (const [field, property] of Object.entries(isObject(properties) ? properties : {})) {
    const ref = isObject(property) ? property.$ref : undefined;
    const schema = typeof ref === "string" ? document.schemaAt(ref) : property;
    if (isObject(schema) && "const" in schema) fixed[field] = schema.const;
  }
  return fixed;
}

/** A reply that says in words what is wrong (or, for a status without a body, nothing). */
export function messageReply(context: RequestContext, status: number, message: string): Reply {
  const body = messageBody(context.document, documentedBy(context.route), status, message);
  return { status, body };
}
