// How a JSON value departs from a schema, in words fit for a log: from the errors of a validator
// compiled at build time (ajv's standalone code, `verbose`), a oneOf/anyOf re-checked against each
// alternative's own validator to say which field drifted. Shared by the response validation
// (`./validation.js`) and the webhooks' (`./webhook-validation.js`), each with its validators.
import type { ResponseDrift } from "./errors.js";
import { closestBranch, escapePointer, isAtOrUnder, isObject, schemaType } from "./json.gen.js";

export interface ValidationError {
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

export type Validate = ((data: unknown) => boolean) & { errors?: ValidationError[] | null };

/** A drift in a body: where (a JSON pointer), what kind, what the contract expects, what came. */
export type BodyDrift = Pick<ResponseDrift, "location" | "kind" | "expected" | "actual">;

/** A validator for each oneOf/anyOf alternative, by the alternative's schema as JSON. */
export type AlternativeValidators = ReadonlyMap<string, Validate>;

/** Keywords that only reject fields the contract does not know: never drift, the API may add fields. */
const toleratedKeywords = new Set(["additionalProperties", "unevaluatedProperties"]);

/** How `body` departs from the schema `validate` was compiled from; `[]` when it matches. */
export function bodyDrift(
  validate: Validate,
  body: unknown,
  secret: string,
  alternatives: AlternativeValidators,
): BodyDrift[] {
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
      found.unshift(...alternativeDrift(error, secret, alternatives));
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
function alternativeDrift(
  error: ValidationError,
  secret: string,
  alternatives: AlternativeValidators,
): BodyDrift[] {
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
    const validate = alternatives.get(JSON.stringify(branch));
    if (!validate) throw new TypeError(`No compiled validator for an alternative at ${location}`);
    return bodyDrift(validate, value, secret, alternatives);
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
export function showToken(value: unknown, secret: string): string {
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
