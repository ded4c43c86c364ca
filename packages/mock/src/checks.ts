// The engine's checks, each a step over the request context. Their order is the engine's list
// (engine.ts); each names what it refuses and why.
import {
  operations as contractOperations,
  type Operation,
  type Parameter,
  type SecurityScheme,
} from "@loops-contract/spec";
import { parse as parseContentType } from "content-type";
import { messageReply, type Reply, type RequestContext, type Step } from "./context.js";
import type { ServedDocument } from "./documents.js";
import { parsePrefer } from "./prefer.js";
import type { RateLimiter } from "./rate-limit.js";
import { allowFor, documentedBy, type OperationRoute, responseFor } from "./routes.js";

/** Bodies beyond this are refused: 413 where the operation documents it, 400 elsewhere. */
export const maxBodyBytes = 1024 * 1024;

/**
 * What an adapter reads at most (one byte more tells a body too large): the largest limit any
 * operation declares (`x-sandbox.bodyLimit`, for attachments), else `maxBodyBytes`.
 */
export const readLimit = Math.max(
  maxBodyBytes,
  ...contractOperations.map((operation) => operation.sandbox?.bodyLimit?.bytes ?? 0),
);

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** A check that needs the operation: a request line without one has been answered before. */
function forOperation(
  check: (context: RequestContext, target: OperationRoute) => Reply | undefined,
): Step {
  return (context) =>
    context.route.kind === "operation" ? check(context, context.route) : undefined;
}

/** A path the document lacks: 404 with its error shape. */
export const pathKnown: Step = (context) =>
  context.route.kind === "noPath"
    ? messageReply(
        context,
        404,
        context.document.lacks(context.request.method, context.url.pathname),
      )
    : undefined;

/** Loops counts requests per key per second, refused ones too; the controls are not Loops'. */
export function withinRateLimit(limiter: RateLimiter | undefined): Step {
  return (context) => {
    if (limiter === undefined || context.document.kind === "controls") return undefined;
    // The same key as the sandbox's: `bearer k` and `Bearer  k` share one window.
    const authorization = context.request.headers.get("authorization") ?? "";
    context.rate = limiter.take(context.apiKey ?? authorization);
    if (!context.rate.exceeded) return undefined;
    const operation = documentedBy(context.route);
    const example = operation && responseFor(operation, 429)?.body?.examples[0];
    return { status: 429, body: example?.value ?? { message: "Too many requests." } };
  };
}

/** A method the path does not take: 405 with `Allow` where documented, else as a path it lacks. */
export const methodAllowed: Step = (context) => {
  const { route, request, document } = context;
  if (route.kind !== "wrongMethod") return undefined;
  if (route.operations.some((operation) => responseFor(operation, 405))) {
    const allow = allowFor(document.operations, context.path);
    return messageReply(context, 405, `${request.method} is not allowed here; use ${allow}.`);
  }
  return messageReply(context, 404, document.lacks(request.method, context.url.pathname));
};

export const bodyWithinLimit: Step = forOperation((context, { operation }) => {
  const declared = context.document.kind === "contract" ? operation.sandbox?.bodyLimit : undefined;
  const limit = declared?.bytes ?? maxBodyBytes;
  if (!context.read.tooLarge && context.read.bytes.length <= limit) return undefined;
  if (declared !== undefined) {
    const example = responseFor(operation, declared.status)?.body?.examples.find(
      (candidate) => candidate.name === declared.example,
    );
    return { status: declared.status, body: example?.value, example: declared.example };
  }
  const status = responseFor(operation, 413) ? 413 : 400;
  return messageReply(context, status, `Request body is over ${maxBodyBytes} bytes.`);
});

/**
 * `Prefer` names a documented example; a status the operation does not document (a 503 to test
 * retries) is answered at once, as a proxy in front of the API would.
 */
export const preferencesDocumented: Step = forOperation((context, { operation }) => {
  if (context.document.kind === "controls") return undefined;
  const parsed = parsePrefer(context.request.headers.get("prefer") ?? undefined);
  if (!parsed.ok) return messageReply(context, 400, parsed.message);
  context.preferences = parsed.preferences;
  const { code, example } = parsed.preferences;
  if (example !== undefined) {
    const responses =
      code === undefined
        ? operation.responses
        : operation.responses.filter((r) => r.status === String(code));
    const names = responses.flatMap((response) => response.body?.examples ?? []).map((e) => e.name);
    if (!names.includes(example)) {
      const where = code === undefined ? "" : ` for ${code}`;
      const message = `Prefer: example=${example} is not an example of this operation${where}; it has ${names.join(", ") || "none"}.`;
      return messageReply(context, 400, message);
    }
  }
  if (code !== undefined && responseFor(operation, code) === undefined) {
    const message = `Status ${code} as asked with Prefer; the contract does not document it here.`;
    return messageReply(context, code, message);
  }
  return undefined;
});

/** How the engine tells a scheme's credentials are there, by type (and `http` scheme). */
const credentialChecks: Record<string, (context: RequestContext) => boolean> = {
  "http/bearer": (context) => context.apiKey !== undefined,
};

function checkOf(scheme: SecurityScheme): string {
  return scheme.type === "http" ? `http/${scheme.scheme}` : scheme.type;
}

/** Throws, naming it, if an operation asks for a scheme the engine cannot check. */
export function assertCheckableSecurity(within: readonly Operation[]): void {
  for (const operation of within) {
    for (const scheme of operation.security.flat()) {
      if (credentialChecks[checkOf(scheme)] === undefined) {
        throw new Error(
          `The mock cannot check ${operation.operationId}'s security scheme ${scheme.name} (${checkOf(scheme)}).`,
        );
      }
    }
  }
}

function presents(context: RequestContext, scheme: SecurityScheme): boolean {
  return credentialChecks[checkOf(scheme)]?.(context) === true;
}

/** The operation's security schemes, as the contract declares them: 401 with its documented example. */
export const authenticated: Step = forOperation((context, { operation }) => {
  const { security } = operation;
  if (
    security.length === 0 ||
    security.some((schemes) => schemes.every((scheme) => presents(context, scheme)))
  ) {
    return undefined;
  }
  const examples = responseFor(operation, 401)?.body?.examples ?? [];
  const example = examples.find((e) => e.name === context.preferences.example) ?? examples[0];
  if (example === undefined) return messageReply(context, 401, "The request is not authenticated.");
  return { status: 401, body: example.value, example: example.name };
});

/**
 * A control that changes state takes `Content-Type: application/json`, with a body or without:
 * a cross-site form can send only form and text types, and a page that sends JSON to another
 * origin must ask first (CORS), which the mock never grants. So no other site can move a key's
 * clock or reset it through the browser of someone running the mock.
 */
export const controlsTakeJson: Step = forOperation((context, { operation }) => {
  if (context.document.kind !== "controls" || operation.method === "get") return undefined;
  const contentType = context.request.headers.get("content-type") ?? "";
  let type: string | undefined;
  try {
    type = parseContentType(contentType).type;
  } catch {
    type = undefined;
  }
  if (type === "application/json") return undefined;
  return messageReply(
    context,
    400,
    `Invalid request: a control that changes state takes Content-Type: application/json, got '${contentType}'.`,
  );
});

function schemaTypes(document: ServedDocument, schemaPointer: string): string[] {
  return [document.schemaAt(schemaPointer).type ?? []].flat().map(String);
}

/** A query or path value as the schema's type reads it: `"2"` is 2 for an integer. */
function typed(types: string[], raw: string): unknown {
  if ((types.includes("integer") || types.includes("number")) && /^-?\d+(\.\d+)?$/.test(raw)) {
    return Number(raw);
  }
  if (types.includes("boolean") && (raw === "true" || raw === "false")) return raw === "true";
  return raw;
}

const placeOf = { path: "path parameter", query: "query parameter", header: "header" } as const;

/** The values a request gives a parameter: none, one, or (a repeated query parameter) several. */
function valuesOf(
  context: RequestContext,
  parameter: Parameter,
  pathParameters: Record<string, string>,
): string[] {
  if (parameter.in === "path") return [pathParameters[parameter.name] ?? ""];
  if (parameter.in === "query") return context.url.searchParams.getAll(parameter.name);
  const value = context.request.headers.get(parameter.name);
  return value === null ? [] : [value];
}

/**
 * Path, query and header parameters against their schemas, then the operation's
 * `x-exactly-one-of`: 400 naming the first fault.
 */
export const parametersValid: Step = forOperation((context, { operation, pathParameters }) => {
  const { document } = context;
  const parameters = [
    ...operation.pathParameters,
    ...operation.queryParameters,
    ...operation.headerParameters,
  ];
  for (const parameter of parameters) {
    const where = placeOf[parameter.in];
    const values = valuesOf(context, parameter, pathParameters);
    if (values.length === 0) {
      if (!parameter.required) continue;
      return messageReply(
        context,
        400,
        `Invalid request: the required ${where} '${parameter.name}' is missing.`,
      );
    }
    const types = schemaTypes(document, parameter.schemaPointer);
    const value = types.includes("array") ? values : typed(types, values.at(-1) as string);
    if (document.validatorAt(parameter.schemaPointer)(value)) continue;
    const faults = document.explain(parameter.schemaPointer, value, parameter.name);
    return messageReply(context, 400, `Invalid request: ${where} ${faults.join("; ")}.`);
  }
  const group = operation.exactlyOneOf;
  if (group === undefined) return undefined;
  const given = parameters.filter(
    (parameter) =>
      group.includes(parameter.name) && valuesOf(context, parameter, pathParameters).length > 0,
  );
  if (given.length === 1) return undefined;
  const got = given.length === 0 ? "none" : given.map((parameter) => parameter.name).join(" and ");
  return messageReply(
    context,
    400,
    `Invalid request: send exactly one of ${group.join(", ")}; got ${got}.`,
  );
});

type BodyCheck = { ok: true; body: unknown } | { ok: false; fault: string };

function parsedBody(context: RequestContext, required: boolean): BodyCheck {
  const { bytes } = context.read;
  if (bytes.length === 0) {
    return required
      ? { ok: false, fault: "a JSON body is required" }
      : { ok: true, body: undefined };
  }
  const contentType = context.request.headers.get("content-type") ?? "";
  if (parseContentType(contentType).type !== "application/json") {
    return { ok: false, fault: `Content-Type must be application/json, got '${contentType}'` };
  }
  try {
    return { ok: true, body: JSON.parse(utf8.decode(bytes)) };
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : "it is not UTF-8";
    return { ok: false, fault: `not valid JSON (${reason})` };
  }
}

/** The body against the operation's schema: 400 naming the field and the fault. */
export const bodyValid: Step = forOperation((context, { operation }) => {
  const { requestBody } = operation;
  if (requestBody === undefined) return undefined;
  const parsed = parsedBody(context, requestBody.required);
  if (!parsed.ok) return messageReply(context, 400, `Invalid request body: ${parsed.fault}.`);
  if (parsed.body === undefined) return undefined;
  const { document } = context;
  if (!document.validatorAt(requestBody.schemaPointer)(parsed.body)) {
    const faults = document.explain(requestBody.schemaPointer, parsed.body);
    const more = faults.length > 3 ? ` (and ${faults.length - 3} more)` : "";
    return messageReply(
      context,
      400,
      `Invalid request body: ${faults.slice(0, 3).join("; ")}${more}.`,
    );
  }
  context.body = parsed.body;
  return undefined;
});
