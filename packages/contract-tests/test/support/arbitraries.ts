import fc from "fast-check";
import { contract, type JsonObject } from "./contract.js";

// fast-check arbitraries derived from the contract's JSON Schemas, so the generated bodies follow
// the contract as it changes. Only the keywords the request schemas use are supported; anything
// else is an error rather than a silently wrong generator.

function deref(schema: JsonObject): JsonObject {
  const ref = schema.$ref;
  if (typeof ref !== "string") return schema;
  let node: unknown = contract;
  for (const segment of ref.slice(2).split("/")) {
    node = (node as JsonObject)[segment.replaceAll("~1", "/").replaceAll("~0", "~")];
  }
  return deref(node as JsonObject);
}

// Dates a real server also accepts: the contract asks scheduling timestamps to be in the future.
const dateTime = fc
  .date({
    min: new Date("2031-01-01T00:00:00Z"),
    max: new Date("2099-12-31T23:59:59Z"),
    noInvalidDate: true,
  })
  .map((date) => date.toISOString());

function stringArbitrary(schema: JsonObject): fc.Arbitrary<string> {
  if (schema.format === "date-time") return dateTime;
  if (schema.format !== undefined)
    throw new Error(`No generator for format ${String(schema.format)}`);
  return fc.string({ unit: "grapheme", minLength: 1, maxLength: 24 });
}

function objectArbitrary(schema: JsonObject): fc.Arbitrary<JsonObject> {
  if (schema.additionalProperties !== false) {
    throw new Error("Only closed objects (additionalProperties: false) are generated");
  }
  const properties = (schema.properties ?? {}) as Record<string, JsonObject>;
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties)) record[name] = arbitraryFor(property);
  return fc.record(record, {
    requiredKeys: (schema.required ?? []) as string[],
  }) as fc.Arbitrary<JsonObject>;
}

function typedArbitrary(type: string, schema: JsonObject): fc.Arbitrary<unknown> {
  switch (type) {
    case "null":
      return fc.constant(null);
    case "string":
      return stringArbitrary(schema);
    case "number":
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 });
    case "integer":
      return fc.integer();
    case "boolean":
      return fc.boolean();
    case "object":
      return objectArbitrary(schema);
    case "array":
      return fc.array(arbitraryFor(schema.items as JsonObject), {
        minLength: (schema.minItems as number | undefined) ?? 0,
        maxLength: ((schema.minItems as number | undefined) ?? 0) + 4,
      });
    default:
      throw new Error(`No generator for type ${type}`);
  }
}

export function arbitraryFor(input: JsonObject): fc.Arbitrary<unknown> {
  const schema = deref(input);
  if ("const" in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if (Array.isArray(schema.oneOf))
    return fc.oneof(...(schema.oneOf as JsonObject[]).map(arbitraryFor));
  if (Array.isArray(schema.type)) {
    return fc.oneof(...(schema.type as string[]).map((type) => typedArbitrary(type, schema)));
  }
  if (typeof schema.type === "string") return typedArbitrary(schema.type, schema);
  throw new Error(`No generator for schema ${JSON.stringify(schema).slice(0, 200)}`);
}

type Path = Array<string | number>;

function sites(value: unknown, path: Path = []): Array<{ path: Path; value: unknown }> {
  const here = [{ path, value }];
  if (Array.isArray(value)) {
    return [...here, ...value.flatMap((item, index) => sites(item, [...path, index]))];
  }
  if (typeof value === "object" && value !== null) {
    return [
      ...here,
      ...Object.entries(value).flatMap(([key, item]) => sites(item, [...path, key])),
    ];
  }
  return here;
}

function withChange(value: unknown, path: Path, change: (node: unknown) => unknown): unknown {
  if (path.length === 0) return change(value);
  const [head, ...rest] = path as [string | number, ...Path];
  const copy = (Array.isArray(value) ? [...value] : { ...(value as JsonObject) }) as Record<
    string | number,
    unknown
  >;
  copy[head] = withChange(copy[head], rest, change);
  return copy;
}

/** Values of the wrong JSON type, or outside any enum, format or `const` the contract has. */
const wrongValues: unknown[] = [42, -1.5, true, null, "", "not-a-date", "bogus", {}, [], [1]];

export interface Mutation {
  kind: "added" | "removed" | "replaced" | "emptied";
  fault: string;
  body: unknown;
}

/**
 * One fault in a valid body, at any place in it: a property added, a property removed, a value
 * replaced, an array emptied. Some of these are still valid (removing an optional property), so
 * callers keep only those the contract's validator refuses.
 */
export function singleFault(valid: unknown): fc.Arbitrary<Mutation> {
  const places = sites(valid);
  const objects = places.filter(
    (place) =>
      typeof place.value === "object" && place.value !== null && !Array.isArray(place.value),
  );
  const members = places.filter((place) => place.path.length > 0);
  const arrays = places.filter((place) => Array.isArray(place.value) && place.value.length > 0);

  const candidates: Array<fc.Arbitrary<Mutation>> = [
    fc.constantFrom(...objects).map(({ path }) => ({
      kind: "added" as const,
      fault: `unknown property at /${path.join("/")}`,
      body: withChange(valid, path, (node) => ({ ...(node as JsonObject), unexpectedField: "x" })),
    })),
  ];
  if (members.length > 0) {
    candidates.push(
      fc.constantFrom(...members).map(({ path }) => ({
        kind: "removed" as const,
        fault: `removed /${path.join("/")}`,
        body: withChange(valid, path.slice(0, -1), (parent) =>
          Array.isArray(parent)
            ? parent.filter((_, index) => index !== path.at(-1))
            : Object.fromEntries(
                Object.entries(parent as JsonObject).filter(([key]) => key !== path.at(-1)),
              ),
        ),
      })),
      fc
        .tuple(fc.constantFrom(...members), fc.constantFrom(...wrongValues))
        .map(([{ path }, wrong]) => ({
          kind: "replaced" as const,
          fault: `/${path.join("/")} replaced by ${JSON.stringify(wrong)}`,
          body: withChange(valid, path, () => wrong),
        })),
    );
  }
  if (arrays.length > 0) {
    candidates.push(
      fc.constantFrom(...arrays).map(({ path }) => ({
        kind: "emptied" as const,
        fault: `emptied /${path.join("/")}`,
        body: withChange(valid, path, () => []),
      })),
    );
  }
  return fc.oneof(...candidates);
}
