import {
  escapePointer,
  type JsonObject,
  at as nodeAt,
  type Operation,
  resolve,
  validatorAt,
} from "@loops-contract/spec";

type ValidationError = NonNullable<ReturnType<typeof validatorAt>["errors"]>[number];

export type DriftKind =
  | "undocumented-status"
  | "missing-header"
  | "header-value"
  | "missing-body"
  | "missing-field"
  | "type"
  | "enum"
  | "constraint"
  | "no-alternative";

/** One way a response departs from the contract. It never carries a value from the account. */
export interface Drift {
  operationId: string;
  method: string;
  /** The contract's path template, never the concrete URL (it would carry the account's ids). */
  path: string;
  status: number;
  where: "status" | "header" | "body";
  /** The header's name, the JSON pointer into the body, or "" for the status itself. */
  location: string;
  kind: DriftKind;
  expected: string;
  actual: string;
}

export type ResponseHeaders = Headers | Record<string, string | undefined>;

/** Keywords that only reject fields the contract does not know: never drift, the API may add fields. */
const toleratedKeywords = new Set(["additionalProperties", "unevaluatedProperties"]);

/**
 * Everything in one response that does not match what `operation` documents for its status.
 * `body` is the parsed JSON body, or `undefined` when the response had none (or it was not JSON).
 */
export function findDrift(
  operation: Operation,
  status: number,
  headers: ResponseHeaders,
  body: unknown,
): Drift[] {
  const base = {
    operationId: operation.operationId,
    method: operation.method,
    path: operation.path,
  };
  const response =
    operation.responses.find((candidate) => candidate.status === String(status)) ??
    operation.responses.find((candidate) => candidate.status === "default");
  if (!response) {
    return [
      {
        ...base,
        status,
        where: "status",
        location: "",
        kind: "undocumented-status",
        expected: `one of ${operation.responses.map((documented) => documented.status).join(", ")}`,
        actual: String(status),
      },
    ];
  }
  const drifts: Drift[] = [];
  for (const header of response.headers) {
    const value = headerValue(headers, header.name);
    if (value === undefined) {
      if (header.required) {
        drifts.push({
          ...base,
          status,
          where: "header",
          location: header.name,
          kind: "missing-header",
          expected: `required header (${describeSchema(header.schemaPointer)})`,
          actual: "absent",
        });
      }
    } else if (!headerMatches(header.schemaPointer, value)) {
      drifts.push({
        ...base,
        status,
        where: "header",
        location: header.name,
        kind: "header-value",
        expected: describeSchema(header.schemaPointer),
        actual: describeHeaderValue(value),
      });
    }
  }
  if (response.body) {
    if (body === undefined) {
      drifts.push({
        ...base,
        status,
        where: "body",
        location: "",
        kind: "missing-body",
        expected: "a JSON body",
        actual: "no JSON body",
      });
    } else {
      for (const found of bodyDrift(response.body.schemaPointer, body)) {
        drifts.push({ ...base, status, where: "body", ...found });
      }
    }
  }
  return drifts;
}

function headerValue(headers: ResponseHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** A header arrives as text; the contract types it (an integer, say), so numeric text may be read as a number. */
function headerMatches(schemaPointer: string, value: string): boolean {
  const validate = validatorAt(schemaPointer);
  const accepts = (candidate: unknown): boolean => validate(candidate) === true;
  const trimmed = value.trim();
  return accepts(value) || (/^-?\d+(\.\d+)?$/.test(trimmed) && accepts(Number(trimmed)));
}

function describeHeaderValue(value: string): string {
  const trimmed = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(trimmed))
    return Number(trimmed) < 0 ? "a negative number" : "a number";
  return trimmed === "" ? "an empty value" : "text";
}

type BodyDrift = Pick<Drift, "location" | "kind" | "expected" | "actual">;

function bodyDrift(schemaPointer: string, body: unknown): BodyDrift[] {
  const validate = validatorAt(schemaPointer);
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
      found.unshift(...alternativeDrift(schemaPointer, body, error));
      index = start - 1;
    } else {
      const one = singleDrift(schemaPointer, body, error);
      if (one) found.unshift(one);
      index -= 1;
    }
  }
  return dedupe(found);
}

function isAtOrUnder(path: string, parent: string): boolean {
  return path === parent || path.startsWith(`${parent}/`);
}

function singleDrift(
  rootPointer: string,
  body: unknown,
  error: ValidationError,
): BodyDrift | undefined {
  if (toleratedKeywords.has(error.keyword)) return undefined;
  const value = valueAt(body, error.instancePath);
  switch (error.keyword) {
    case "required": {
      const missing = String(error.params.missingProperty);
      const location = `${error.instancePath}/${escapePointer(missing)}`;
      const schema = schemaPointersAt(rootPointer, location)[0];
      return {
        location,
        kind: "missing-field",
        expected: schema ? `required field (${describeSchema(schema)})` : "required field",
        actual: "absent",
      };
    }
    case "type":
      return {
        location: error.instancePath,
        kind: "type",
        expected: [error.params.type].flat().join(" or "),
        actual: jsonType(value),
      };
    case "enum":
      return {
        location: error.instancePath,
        kind: "enum",
        expected: `one of ${(error.params.allowedValues as unknown[]).map(showToken).join(", ")}`,
        actual: showToken(value),
      };
    case "const":
      return {
        location: error.instancePath,
        kind: "enum",
        expected: showToken(error.params.allowedValue),
        actual: showToken(value),
      };
    default:
      return {
        location: error.instancePath,
        kind: "constraint",
        expected: `${error.keyword} ${describeParams(error.params)}`.trim(),
        actual: `${withArticle(jsonType(value))} that does not satisfy it`,
      };
  }
}

/**
 * A value that matched none of a oneOf/anyOf's alternatives. When every alternative rejects the
 * same field for its constant or enum (a discriminator such as `method`), the drift is that field's
 * new value; otherwise it is what the closest alternative (fewest drifts) finds wrong.
 */
function alternativeDrift(rootPointer: string, body: unknown, error: ValidationError): BodyDrift[] {
  const value = valueAt(body, error.instancePath);
  if (error.keyword === "oneOf" && error.params.passingSchemas !== null) {
    return [
      {
        location: error.instancePath,
        kind: "no-alternative",
        expected: "exactly one of the documented alternatives",
        actual: `${withArticle(jsonType(value))} matching several`,
      },
    ];
  }
  const alternatives = schemaPointersAt(rootPointer, error.instancePath)
    .flatMap((pointer) => alternativesAt(pointer, error.keyword as "oneOf" | "anyOf"))
    .find((pointers) => pointers.every((pointer) => !validatorAt(pointer)(value)));
  if (!alternatives) {
    return [
      {
        location: error.instancePath,
        kind: "no-alternative",
        expected: `one of the documented alternatives (${error.keyword})`,
        actual: jsonType(value),
      },
    ];
  }
  const perAlternative = alternatives.map((pointer) => bodyDrift(pointer, value));
  // An alternative that only objects to unknown fields accepts the value: no drift.
  if (perAlternative.some((drifts) => drifts.length === 0)) return [];
  const prefix = (found: BodyDrift): BodyDrift => ({
    ...found,
    location: `${error.instancePath}${found.location}`,
  });
  const discriminator =
    sharedDrift(perAlternative, (drift) => drift.kind === "enum") ??
    sharedDrift(perAlternative, (drift) => drift.kind === "type" && drift.location === "");
  if (discriminator) return [prefix(discriminator)];
  // The closest alternative: one of the value's own type, with the fewest drifts.
  const rank = (drifts: BodyDrift[]): number =>
    drifts.some((drift) => drift.kind === "type" && drift.location === "")
      ? Number.POSITIVE_INFINITY
      : drifts.length;
  const closest = perAlternative.reduce((best, drifts) =>
    rank(drifts) < rank(best) ? drifts : best,
  );
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

function alternativesAt(pointer: string, keyword: "oneOf" | "anyOf"): string[][] {
  const found: string[][] = [];
  const visit = (from: string): void => {
    const schema = schemaObject(from);
    if (!schema) return;
    const { pointer: resolved, node } = schema;
    const list = node[keyword];
    if (Array.isArray(list)) found.push(list.map((_, index) => `${resolved}/${keyword}/${index}`));
    if (Array.isArray(node.allOf)) {
      node.allOf.forEach((_, index) => {
        visit(`${resolved}/allOf/${index}`);
      });
    }
  };
  visit(pointer);
  return found;
}

/**
 * The contract's schemas that apply at `location` (a JSON pointer into `body`), found by walking
 * the schema alongside the body: properties, items, additionalProperties, through $ref, allOf,
 * oneOf and anyOf. ajv's own schemaPath restarts at every $ref, so it cannot lead back there.
 */
function schemaPointersAt(rootPointer: string, location: string): string[] {
  let current = [rootPointer];
  for (const segment of location.split("/").slice(1).map(unescapeSegment)) {
    current = current.flatMap((pointer) => childSchemas(pointer, segment));
  }
  return current;
}

function childSchemas(pointer: string, segment: string): string[] {
  const schema = schemaObject(pointer);
  if (!schema) return [];
  const { pointer: here, node } = schema;
  const children: string[] = [];
  const properties = node.properties;
  if (isObject(properties) && segment in properties) {
    children.push(`${here}/properties/${escapePointer(segment)}`);
  } else if (isObject(node.additionalProperties)) {
    children.push(`${here}/additionalProperties`);
  }
  if (isObject(node.items) && /^\d+$/.test(segment)) children.push(`${here}/items`);
  for (const keyword of ["allOf", "oneOf", "anyOf"] as const) {
    const list = node[keyword];
    if (Array.isArray(list)) {
      list.forEach((_, index) => {
        children.push(...childSchemas(`${here}/${keyword}/${index}`, segment));
      });
    }
  }
  return children;
}

/** The schema in words, for "expected": its type, enum or const, never an example value. */
function describeSchema(pointer: string): string {
  const node = schemaObject(pointer)?.node;
  if (!node) return "any value";
  if (Array.isArray(node.enum)) return `one of ${node.enum.map(showToken).join(", ")}`;
  if ("const" in node) return showToken(node.const);
  const type = node.type;
  const typeText = Array.isArray(type) ? type.join(" or ") : typeof type === "string" ? type : "";
  const format = typeof node.format === "string" ? ` (${node.format})` : "";
  if (typeText) return `${typeText}${format}`;
  if (Array.isArray(node.oneOf) || Array.isArray(node.anyOf))
    return "one of the documented alternatives";
  return "any value";
}

function describeParams(params: Record<string, unknown>): string {
  return Object.values(params)
    .filter((value) => typeof value === "string" || typeof value === "number")
    .join(" ");
}

/** JSON's own type names, with integer told apart: the words the contract's `type` uses. */
export function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  if (value === undefined) return "absent";
  return typeof value;
}

/**
 * An enum or constant value, shown only when it looks like a code (`Draft`, `schedule`): an
 * unexpected value is shown so the user sees what Loops added, but free text (a name, an address,
 * LMX) never reaches the report.
 */
export function showToken(value: unknown): string {
  if (value === null || typeof value === "boolean") return String(value);
  if (typeof value === "string" && /^[A-Za-z][A-Za-z0-9_.-]{0,47}$/.test(value)) {
    return JSON.stringify(value);
  }
  return `${withArticle(jsonType(value))} (not shown)`;
}

/** The schema object at a pointer, through `$ref`s; `undefined` for a boolean schema. */
function schemaObject(pointer: string): { pointer: string; node: JsonObject } | undefined {
  return isObject(nodeAt(pointer)) ? resolve(pointer) : undefined;
}

function withArticle(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function valueAt(body: unknown, pointer: string): unknown {
  let value = body;
  for (const segment of pointer.split("/").slice(1).map(unescapeSegment)) {
    value = isObject(value) || Array.isArray(value) ? (value as JsonObject)[segment] : undefined;
  }
  return value;
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

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function unescapeSegment(segment: string): string {
  return segment.replaceAll("~1", "/").replaceAll("~0", "~");
}
