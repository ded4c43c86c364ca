import {
  annotationKeywords,
  escapePointer,
  type JsonObject,
  resolve,
  validatorAt,
} from "@loops-contract/spec";
import { isObject } from "@loops-contract/spec/json";
import fc from "fast-check";

// fast-check arbitraries derived from the contract's JSON Schemas, walked by JSON pointer so that
// every generated value can be checked by the spec module's validator for the schema it came from.
// Only the keywords the request schemas use are supported: anything else is an error naming the
// keyword and the place, rather than a silently wrong generator.

const generated = new Set([
  "$ref",
  "type",
  "const",
  "enum",
  "oneOf",
  "anyOf",
  "allOf",
  "not",
  "properties",
  "required",
  "additionalProperties",
  "minProperties",
  "maxProperties",
  "items",
  "minItems",
  "maxItems",
  "uniqueItems",
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "minimum",
  "maximum",
]);
/** Keywords whose constraint the generator below does not build in: its output is filtered. */
const filtered = [
  "allOf",
  "oneOf",
  "not",
  "minProperties",
  "maxProperties",
  "maxLength",
  "pattern",
];

function checkKeywords(pointer: string, node: JsonObject): void {
  for (const keyword of Object.keys(node)) {
    if (generated.has(keyword) || annotationKeywords.has(keyword) || keyword.startsWith("x-"))
      continue;
    throw new Error(`No generator for the keyword ${keyword} (at ${pointer})`);
  }
}

// Scheduling timestamps must be in the future on a real server: an hour to three years from now.
function futureDateTime(): fc.Arbitrary<string> {
  const now = Date.now();
  return fc
    .date({
      min: new Date(now + 60 * 60 * 1000),
      max: new Date(now + 3 * 365 * 24 * 60 * 60 * 1000),
      noInvalidDate: true,
    })
    .map((date) => date.toISOString());
}

const emailAddress = fc
  .tuple(
    fc.stringMatching(/^[a-z][a-z0-9]{0,11}$/),
    fc.constantFrom("example.com", "example.org", "mail.example.net"),
  )
  .map(([local, domain]) => `${local}@${domain}`);

function stringArbitrary(pointer: string, node: JsonObject): fc.Arbitrary<string> {
  const minLength = typeof node.minLength === "number" ? node.minLength : 0;
  const maxLength = typeof node.maxLength === "number" ? node.maxLength : undefined;
  if (node.format !== undefined) {
    switch (node.format) {
      case "date-time":
        return futureDateTime();
      case "email":
        return emailAddress;
      case "uri":
        return fc.webUrl();
      default:
        throw new Error(`No generator for the format ${String(node.format)} (at ${pointer})`);
    }
  }
  if (typeof node.pattern === "string") return fc.stringMatching(new RegExp(node.pattern));
  const typical = fc.string({
    unit: "grapheme",
    minLength,
    maxLength: Math.max(minLength, Math.min(maxLength ?? 24, 24)),
  });
  if (maxLength === undefined || maxLength <= 24) return typical;
  // The limit itself, which a real server must still accept.
  const longest = fc.string({ unit: "grapheme-ascii", minLength: maxLength, maxLength });
  return fc.oneof({ arbitrary: typical, weight: 4 }, { arbitrary: longest, weight: 1 });
}

interface ObjectShape {
  /** Each property's schema, by pointer; with `allOf`, the last branch that declares it. */
  properties: Map<string, string>;
  required: Set<string>;
  /** Pointer to the schema of other properties; `undefined` when only declared ones are made. */
  additional: string | undefined;
}

function shapeOf(pointer: string, node: JsonObject, shape: ObjectShape): ObjectShape {
  if (isObject(node.properties)) {
    for (const name of Object.keys(node.properties)) {
      shape.properties.set(name, `${pointer}/properties/${escapePointer(name)}`);
    }
  }
  if (Array.isArray(node.required)) for (const name of node.required) shape.required.add(name);
  if (isObject(node.additionalProperties)) shape.additional = `${pointer}/additionalProperties`;
  if (Array.isArray(node.allOf)) {
    node.allOf.forEach((_, index) => {
      const branch = resolve(`${pointer}/allOf/${index}`);
      checkKeywords(branch.pointer, branch.node);
      shapeOf(branch.pointer, branch.node, shape);
    });
  }
  return shape;
}

const propertyName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,15}$/);

function objectArbitrary(pointer: string, node: JsonObject, depth: number): fc.Arbitrary<unknown> {
  const shape = shapeOf(pointer, node, {
    properties: new Map(),
    required: new Set(),
    additional: undefined,
  });
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, at] of shape.properties) record[name] = arbitraryAt(at, depth + 1);
  const declared = fc.record(record, { requiredKeys: [...shape.required] });
  if (shape.additional === undefined) return declared;
  const others = fc.dictionary(propertyName, arbitraryAt(shape.additional, depth + 1), {
    maxKeys: 4,
  });
  return fc.tuple(declared, others).map(([known, more]) => ({
    ...Object.fromEntries(Object.entries(more).filter(([key]) => !shape.properties.has(key))),
    ...known,
  }));
}

function typedArbitrary(
  pointer: string,
  node: JsonObject,
  type: unknown,
  depth: number,
): fc.Arbitrary<unknown> {
  switch (type) {
    case "null":
      return fc.constant(null);
    case "string":
      return stringArbitrary(pointer, node);
    case "number":
      return fc.double({
        noNaN: true,
        noDefaultInfinity: true,
        min: typeof node.minimum === "number" ? node.minimum : -1e9,
        max: typeof node.maximum === "number" ? node.maximum : 1e9,
      });
    case "integer":
      return fc.integer({
        min: typeof node.minimum === "number" ? node.minimum : -1e9,
        max: typeof node.maximum === "number" ? node.maximum : 1e9,
      });
    case "boolean":
      return fc.boolean();
    case "object":
      return objectArbitrary(pointer, node, depth);
    case "array": {
      if (!isObject(node.items)) throw new Error(`An array without items (at ${pointer})`);
      const minLength = typeof node.minItems === "number" ? node.minItems : 0;
      const maxLength = Math.min(
        typeof node.maxItems === "number" ? node.maxItems : Number.POSITIVE_INFINITY,
        minLength + 4,
      );
      const items = arbitraryAt(`${pointer}/items`, depth + 1);
      return node.uniqueItems === true
        ? fc.uniqueArray(items, { minLength, maxLength, selector: (item) => JSON.stringify(item) })
        : fc.array(items, { minLength, maxLength });
    }
    default:
      throw new Error(`No generator for type ${String(type)} (at ${pointer})`);
  }
}

function unfilteredArbitrary(pointer: string, node: JsonObject, depth: number) {
  if ("const" in node) return fc.constant(node.const);
  if (Array.isArray(node.enum)) return fc.constantFrom(...(node.enum as unknown[]));
  for (const keyword of ["oneOf", "anyOf"] as const) {
    const branches = node[keyword];
    if (Array.isArray(branches)) {
      return fc.oneof(
        ...branches.map((_, index) => arbitraryAt(`${pointer}/${keyword}/${index}`, depth + 1)),
      );
    }
  }
  if (Array.isArray(node.type)) {
    return fc.oneof(...node.type.map((type) => typedArbitrary(pointer, node, type, depth)));
  }
  if (node.type !== undefined) return typedArbitrary(pointer, node, node.type, depth);
  if (node.properties !== undefined || node.allOf !== undefined) {
    return objectArbitrary(pointer, node, depth);
  }
  throw new Error(`No generator for the schema at ${pointer}: it has no type`);
}

/** Values valid against the schema at `pointer` in the bundle. */
export function arbitraryAt(pointer: string, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 24) throw new Error(`The schema at ${pointer} nests too deep to generate`);
  const { pointer: here, node } = resolve(pointer);
  checkKeywords(here, node);
  const arbitrary = unfilteredArbitrary(here, node, depth);
  if (!filtered.some((keyword) => keyword in node)) return arbitrary;
  const validate = validatorAt(here);
  return arbitrary.filter((value) => validate(value) === true);
}

/**
 * Values just outside the schema's own limits, anywhere in it: a string one longer than a
 * `maxLength`, one shorter than a `minLength`, a number past a bound, what a `not` refuses.
 */
export function limitBreakers(pointer: string, seen = new Set<string>()): unknown[] {
  const { pointer: here, node } = resolve(pointer);
  if (seen.has(here)) return [];
  seen.add(here);
  const values: unknown[] = [];
  if (typeof node.maxLength === "number") values.push("x".repeat(node.maxLength + 1));
  if (typeof node.minLength === "number" && node.minLength > 0) {
    values.push("x".repeat(node.minLength - 1));
  }
  if (typeof node.maximum === "number") values.push(node.maximum + 1);
  if (typeof node.minimum === "number") values.push(node.minimum - 1);
  if (isObject(node.not)) {
    const refused = resolve(`${here}/not`).node;
    if ("const" in refused) values.push(refused.const);
    if (Array.isArray(refused.enum)) values.push(...refused.enum);
  }
  const children: string[] = [];
  if (isObject(node.properties)) {
    for (const name of Object.keys(node.properties)) {
      children.push(`${here}/properties/${escapePointer(name)}`);
    }
  }
  for (const keyword of ["items", "additionalProperties"]) {
    if (isObject(node[keyword])) children.push(`${here}/${keyword}`);
  }
  for (const keyword of ["allOf", "anyOf", "oneOf"]) {
    const branches = node[keyword];
    if (Array.isArray(branches)) {
      branches.forEach((_, index) => {
        children.push(`${here}/${keyword}/${index}`);
      });
    }
  }
  for (const child of children) values.push(...limitBreakers(child, seen));
  return values;
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
 * replaced (by a wrong type, or by one of `breakers`, see `limitBreakers`), an array emptied. Some
 * of these are still valid (removing an optional property), so callers keep only those the
 * contract's validator refuses.
 */
export function singleFault(valid: unknown, breakers: unknown[] = []): fc.Arbitrary<Mutation> {
  const places = sites(valid);
  const objects = places.filter(
    (place) =>
      typeof place.value === "object" && place.value !== null && !Array.isArray(place.value),
  );
  const members = places.filter((place) => place.path.length > 0);
  const arrays = places.filter((place) => Array.isArray(place.value) && place.value.length > 0);

  const candidates: Array<fc.Arbitrary<Mutation>> = [];
  if (objects.length > 0) {
    candidates.push(
      fc.constantFrom(...objects).map(({ path }) => ({
        kind: "added" as const,
        fault: `unknown property at /${path.join("/")}`,
        body: withChange(valid, path, (node) => ({
          ...(node as JsonObject),
          unexpectedField: "x",
        })),
      })),
    );
  }
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
        .tuple(fc.constantFrom(...members), fc.constantFrom(...wrongValues, ...breakers))
        .map(([{ path }, wrong]) => ({
          kind: "replaced" as const,
          fault: `/${path.join("/")} replaced by ${JSON.stringify(wrong).slice(0, 40)}`,
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
  if (candidates.length === 0) throw new Error(`Nothing to break in ${JSON.stringify(valid)}`);
  return fc.oneof(...candidates);
}
