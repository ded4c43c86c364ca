// Response validation against the contract, over validators compiled at build time (no schema
// compiler at runtime). Loaded by the client only when `validateResponses` is on; importable on its
// own as `@loops-contract/client/validation` to check responses from `raw`, say.
//
// What counts as drift: a missing required field or header, a changed type, a value outside a
// closed enum or a constraint, an undocumented status; never a field the contract does not know.
// This is the one place it is decided: the drift check (`@loops-contract/drift`) calls
// `checkResponse` too, so the client and the check cannot disagree on a response.
import type { Logger } from "./core.js";
import {
  type APIError,
  type ResponseDrift,
  type ResponseValidationDetails,
  ResponseValidationError,
} from "./errors.js";
import { closestBranch, escapePointer, isAtOrUnder, isObject, schemaType } from "./json.gen.js";
import { alternatives, operations } from "./response-validators.gen.js";

// The class lives with the other errors, in the main entry, so that `instanceof` needs no
// validators; this entry re-exports that same class.
export { type ResponseDrift, type ResponseValidationDetails, ResponseValidationError };

/** The client's own option names, so a client's options can be passed as they are. */
export interface ValidateResponseOptions {
  validateResponses?: "warn" | "throw" | undefined;
  /** Where `"warn"` writes. Default `console`. */
  logger?: Logger | undefined;
  /** Never shown, should a response echo it. */
  apiKey?: string | undefined;
}

/**
 * Checks `response` (whose parsed JSON body is `body`) against what the contract documents for
 * `operationId`: a drift is warned through the logger (`validateResponses: "warn"`), or thrown as a
 * `ResponseValidationError` with `statusError` (the error the response stands for) as its cause.
 */
export function validateResponse(
  { validateResponses, logger = console, apiKey }: ValidateResponseOptions,
  operationId: string,
  response: Pick<Response, "status" | "headers">,
  body: unknown,
  statusError?: APIError,
): void {
  // A 5xx is an outage, not an answer about the contract: the client keeps it an
  // InternalServerError for its retries (the drift check's HTTP layer retries it, then gives up).
  if (!validateResponses || response.status >= 500) return;
  const drift = checkResponse(operationId, response.status, response.headers, body, apiKey);
  if (!drift) return;
  if (validateResponses === "warn") logger.warn(drift.message);
  else throw new ResponseValidationError(drift, statusError && { cause: statusError });
}

interface ValidationError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  /** The keyword's value (with ajv's `verbose`): a oneOf's alternatives. */
  schema: unknown;
  /** The schema holding the keyword: an object's `properties`, for a missing field. */
  parentSchema: unknown;
  /** The value the keyword rejected. */
  data: unknown;
}

type Validate = ((data: unknown) => boolean) & { errors?: ValidationError[] | null };
type HeaderRule = readonly [name: string, required: boolean, validate: Validate, expected: string];
interface DocumentedOperation {
  method: string;
  path: string;
  responses: Record<number, { body: Validate | undefined; headers: readonly HeaderRule[] }>;
}

const documented = operations as unknown as Record<string, DocumentedOperation>;
const alternativeValidators = alternatives as unknown as Map<string, Validate>;

type BodyDrift = Pick<ResponseDrift, "location" | "kind" | "expected" | "actual">;

/** Keywords that only reject fields the contract does not know: never drift, the API may add fields. */
const toleratedKeywords = new Set(["additionalProperties", "unevaluatedProperties"]);

/**
 * How one response departs from what the contract documents for `operationId`, or `undefined`
 * when it matches. `body` is the parsed JSON body (`undefined` when there was none). Any status the
 * operation does not document is drift, a 5xx included (what to do about an outage is the
 * caller's: `validateResponse` leaves it alone). Nothing in the result quotes a value from the
 * response but enum-like codes, and never `secret` (the key).
 */
export function checkResponse(
  operationId: string,
  status: number,
  headers: Headers,
  body: unknown,
  secret = "",
): ResponseValidationDetails | undefined {
  const operation = documented[operationId];
  if (!operation) throw new TypeError(`The contract has no operation ${operationId}`);
  const drifts = responseDrifts(operation, status, headers, body, secret);
  if (drifts.length === 0) return undefined;
  const { method, path } = operation;
  const lines = drifts.map(
    (drift) =>
      `  ${drift.where}${drift.location ? ` ${drift.location}` : ""}: expected ${drift.expected}, got ${drift.actual}`,
  );
  return {
    operationId,
    method,
    path,
    status,
    drifts,
    message: `${operationId} (${method} ${path}) answered ${status} not as the contract documents:\n${lines.join("\n")}`,
  };
}

function responseDrifts(
  operation: DocumentedOperation,
  status: number,
  headers: Headers,
  body: unknown,
  secret: string,
): ResponseDrift[] {
  const response = operation.responses[status];
  if (!response) {
    return [
      {
        where: "status",
        location: "",
        kind: "undocumented-status",
        expected: `one of ${Object.keys(operation.responses).join(", ")}`,
        actual: String(status),
      },
    ];
  }
  const drifts: ResponseDrift[] = [];
  for (const [name, required, validate, expected] of response.headers) {
    const value = headers.get(name);
    if (value === null) {
      if (required) {
        drifts.push({
          where: "header",
          location: name,
          kind: "missing-header",
          expected: `required header (${expected})`,
          actual: "absent",
        });
      }
    } else if (!headerMatches(validate, value)) {
      drifts.push({
        where: "header",
        location: name,
        kind: "header-value",
        expected,
        actual: describeHeaderValue(value),
      });
    }
  }
  if (response.body) {
    if (body === undefined) {
      drifts.push({
        where: "body",
        location: "",
        kind: "missing-body",
        expected: "a JSON body",
        actual: "no JSON body",
      });
    } else {
      for (const found of bodyDrift(response.body, body, secret)) {
        drifts.push({ where: "body", ...found });
      }
    }
  }
  return drifts;
}

/** A header arrives as text; the contract types it (an integer, say), so numeric text may be read as a number. */
function headerMatches(validate: Validate, value: string): boolean {
  const trimmed = value.trim();
  return validate(value) || (/^-?\d+(\.\d+)?$/.test(trimmed) && validate(Number(trimmed)));
}

function describeHeaderValue(value: string): string {
  const trimmed = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(trimmed))
    return Number(trimmed) < 0 ? "a negative number" : "a number";
  return trimmed === "" ? "an empty value" : "text";
}

function bodyDrift(validate: Validate, body: unknown, secret: string): BodyDrift[] {
  if (validate(body)) return [];
  const errors = validate.errors ?? [];
  const found: BodyDrift[] = [];
  // A failed oneOf/anyOf follows the errors of its branches, all at or under its own instancePath.
  let index = errors.length - 1;
  while (index >= 0) {
    const error = errors[index] as ValidationError;
    if (error.keyword === "oneOf" || error.keyword === "anyOf") {
      let start = index;
      while (
        start > 0 &&
        isAtOrUnder((errors[start - 1] as ValidationError).instancePath, error.instancePath)
      ) {
        start -= 1;
      }
      found.unshift(...alternativeDrift(error, secret));
      index = start - 1;
    } else {
      const one = singleDrift(error, secret);
      if (one) found.unshift(one);
      index -= 1;
    }
  }
  return dedupe(found);
}

function singleDrift(error: ValidationError, secret: string): BodyDrift | undefined {
  if (toleratedKeywords.has(error.keyword)) return undefined;
  const location = redact(error.instancePath, secret);
  const value = error.data;
  switch (error.keyword) {
    case "required": {
      const missing = String(error.params.missingProperty);
      const properties = (error.parentSchema as { properties?: Record<string, unknown> })
        .properties;
      return {
        location: `${location}/${redact(escapePointer(missing), secret)}`,
        kind: "missing-field",
        expected: `required field (${describeSchema(properties?.[missing])})`,
        actual: "absent",
      };
    }
    case "type":
      return {
        location,
        kind: "type",
        expected: [error.params.type].flat().join(" or "),
        actual: schemaType(value),
      };
    case "enum":
      return {
        location,
        kind: "enum",
        expected: `one of ${(error.params.allowedValues as unknown[]).map((allowed) => showToken(allowed, secret)).join(", ")}`,
        actual: showToken(value, secret),
      };
    case "const":
      return {
        location,
        kind: "enum",
        expected: showToken(error.params.allowedValue, secret),
        actual: showToken(value, secret),
      };
    default:
      return {
        location,
        kind: "constraint",
        expected: `${error.keyword} ${describeParams(error.params)}`.trim(),
        actual: `${withArticle(schemaType(value))} that does not satisfy it`,
      };
  }
}

/**
 * A value that matched none of a oneOf/anyOf's alternatives. When every alternative rejects the
 * same field for its constant or enum (a discriminator such as `method`), the drift is that field's
 * new value; otherwise it is what the closest alternative (fewest drifts) finds wrong.
 */
function alternativeDrift(error: ValidationError, secret: string): BodyDrift[] {
  const value = error.data;
  const location = redact(error.instancePath, secret);
  if (error.keyword === "oneOf" && error.params.passingSchemas !== null) {
    return [
      {
        location,
        kind: "no-alternative",
        expected: "exactly one of the documented alternatives",
        actual: `${withArticle(schemaType(value))} matching several`,
      },
    ];
  }
  const perAlternative = (error.schema as unknown[]).map((branch) => {
    const validate = alternativeValidators.get(JSON.stringify(branch));
    if (!validate) throw new TypeError(`No compiled validator for an alternative at ${location}`);
    return bodyDrift(validate, value, secret);
  });
  // An alternative that only objects to unknown fields accepts the value: no drift.
  if (perAlternative.some((drifts) => drifts.length === 0)) return [];
  const prefix = (found: BodyDrift): BodyDrift => ({
    ...found,
    location: `${location}${found.location}`,
  });
  const discriminator =
    sharedDrift(perAlternative, (drift) => drift.kind === "enum") ??
    sharedDrift(perAlternative, (drift) => drift.kind === "type" && drift.location === "");
  if (discriminator) return [prefix(discriminator)];
  // The closest alternative: one of the value's own type, with the fewest drifts.
  // One is of the value's type, or the shared type drift above would have answered.
  const closest = closestBranch(
    perAlternative,
    (drifts) => !drifts.some((drift) => drift.kind === "type" && drift.location === ""),
    (drifts) => drifts.length,
  ) as BodyDrift[];
  return closest.map(prefix);
}

/** A drift every alternative finds at the same place (a discriminator's value, the value's type), merged. */
function sharedDrift(
  perAlternative: BodyDrift[][],
  qualifies: (drift: BodyDrift) => boolean,
): BodyDrift | undefined {
  for (const candidate of (perAlternative[0] ?? []).filter(qualifies)) {
    const matching = perAlternative.map((drifts) =>
      drifts.find(
        (drift) =>
          qualifies(drift) &&
          drift.kind === candidate.kind &&
          drift.location === candidate.location,
      ),
    );
    if (matching.every((drift) => drift !== undefined)) {
      const expected = [
        ...new Set(
          matching.flatMap((drift) =>
            (drift as BodyDrift).expected.replace(/^one of /, "").split(/, | or /),
          ),
        ),
      ];
      return {
        ...candidate,
        expected:
          candidate.kind === "enum" ? `one of ${expected.join(", ")}` : expected.join(" or "),
      };
    }
  }
  return undefined;
}

/**
 * A field's schema in words: its type, enum or constant, or the name of the component it refers to
 * (`Pagination`, `CampaignScheduling`), which says more than "object" and can be looked up.
 */
function describeSchema(schema: unknown): string {
  if (!isObject(schema)) return "any value";
  if (Array.isArray(schema.enum))
    return `one of ${schema.enum.map((value) => showToken(value, "")).join(", ")}`;
  if ("const" in schema) return showToken(schema.const, "");
  if (typeof schema.type === "string" || Array.isArray(schema.type)) {
    const format = typeof schema.format === "string" ? ` (${schema.format})` : "";
    return `${[schema.type].flat().join(" or ")}${format}`;
  }
  if (typeof schema.$ref === "string") return schema.$ref.slice(schema.$ref.lastIndexOf("/") + 1);
  if (Array.isArray(schema.oneOf) || Array.isArray(schema.anyOf)) {
    return "one of the documented alternatives";
  }
  return "any value";
}

function describeParams(params: Record<string, unknown>): string {
  return Object.values(params)
    .filter((value) => typeof value === "string" || typeof value === "number")
    .join(" ");
}

/**
 * An enum or constant value, shown only when it looks like a code (`Draft`, `schedule`): an
 * unexpected value is shown so the user sees what Loops added, but free text (a name, an address,
 * LMX) and the key never are. On purpose unlike the mock's request explainer
 * (packages/mock/src/faults.ts), which shares the pointer, type and branch helpers but names the
 * offending value: it answers the one who sent it, while this ends up in the client's logs.
 */
function showToken(value: unknown, secret: string): string {
  if (value === null || typeof value === "boolean") return String(value);
  if (
    typeof value === "string" &&
    /^[A-Za-z][A-Za-z0-9_.-]{0,47}$/.test(value) &&
    !(secret && value.includes(secret))
  ) {
    return JSON.stringify(value);
  }
  return `${withArticle(schemaType(value))} (not shown)`;
}

function redact(text: string, secret: string): string {
  return secret ? text.replaceAll(secret, "[redacted]") : text;
}

function withArticle(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function dedupe(drifts: BodyDrift[]): BodyDrift[] {
  const seen = new Set<string>();
  return drifts.filter((drift) => {
    const key = `${drift.location} ${drift.kind}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
