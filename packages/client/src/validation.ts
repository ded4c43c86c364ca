// Response validation against the contract, over validators compiled at build time (no schema
// compiler at runtime). Loaded by the client only when `validateResponses` is on; importable on its
// own as `@loops-contract/client/validation` to check responses from `raw`, say.
//
// What counts as drift: a missing required field or header, a changed type, a value outside a
// closed enum or a constraint, an undocumented status; never a field the contract does not know.
// This is the one place it is decided: the drift check (`@loops-contract/drift`) calls
// `checkResponse` too, so the client and the check cannot disagree on a response.

import { bodyDrift, type Validate } from "./body-drift.js";
import type { Logger } from "./core.js";
import {
  type APIError,
  type ResponseDrift,
  type ResponseValidationDetails,
  ResponseValidationError,
} from "./errors.js";
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

type HeaderRule = readonly [name: string, required: boolean, validate: Validate, expected: string];
interface DocumentedOperation {
  method: string;
  path: string;
  responses: Record<number, { body: Validate | undefined; headers: readonly HeaderRule[] }>;
}

const documented = operations as unknown as Record<string, DocumentedOperation>;
const alternativeValidators = alternatives as unknown as Map<string, Validate>;

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
      for (const found of bodyDrift(response.body, body, secret, alternativeValidators)) {
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
