// Pure helpers over JSON values, JSON pointers and JSON Schema's type names, shared by the spec
// reader, the mock, the drift check, the client and the tests. No imports and no side effects:
// `@loops-contract/spec/json` loads neither the bundle nor ajv (the main entry does both). The
// client has no runtime dependency on this package, so its build copies this file into its own
// source (packages/client/scripts/validators.mjs): keep it free of imports.

export type JsonObject = { [key: string]: unknown };

/** A JSON object: not `null`, not an array. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** One segment of a JSON pointer, escaped (RFC 6901): `a/b~c` -> `a~1b~0c`. */
export function escapePointer(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}

/** One segment of a JSON pointer, unescaped: `a~1b~0c` -> `a/b~c`. */
export function unescapePointer(segment: string): string {
  return segment.replaceAll("~1", "/").replaceAll("~0", "~");
}

/** A JSON pointer's segments, unescaped: `/a~1b/0` -> `["a/b", "0"]`, `""` -> `[]`. */
export function pointerSegments(pointer: string): string[] {
  return pointer.split("/").slice(1).map(unescapePointer);
}

/** The value at `pointer` in `root`, or `undefined` where there is none. */
export function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const segment of pointerSegments(pointer)) {
    node = isObject(node) || Array.isArray(node) ? (node as JsonObject)[segment] : undefined;
  }
  return node;
}

/** Whether `pointer` is `parent` or a pointer below it (`/a/b` is under `/a`, `/ab` is not). */
export function isAtOrUnder(pointer: string, parent: string): boolean {
  return pointer === parent || pointer.startsWith(`${parent}/`);
}

/** JSON's own type name for `value`, as a schema's `type` spells it: a whole number is `number`. */
export function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** The narrowest type a schema's `type` can name for `value`: `integer` for a whole number. */
export function schemaType(value: unknown): string {
  return Number.isInteger(value) ? "integer" : jsonType(value);
}

/** Whether `value` is of a schema's `type`: one name or a list of them; none means any. */
export function matchesType(type: unknown, value: unknown): boolean {
  if (type === undefined) return true;
  return [type].flat().some((name) => name === jsonType(value) || name === schemaType(value));
}

/**
 * The `oneOf`/`anyOf` branch a value was meant for: of the branches it `fits` (its kind: its type,
 * its tags), the one with the fewest faults, the first on a tie; `undefined` when it fits none.
 * Faults are counted only when more than one branch fits, each branch once.
 */
export function closestBranch<Branch>(
  branches: readonly Branch[],
  fits: (branch: Branch) => boolean,
  faultCount: (branch: Branch) => number,
): Branch | undefined {
  const fitting = branches.filter(fits);
  if (fitting.length < 2) return fitting[0];
  let closest = fitting[0] as Branch;
  let fewest = faultCount(closest);
  for (const branch of fitting.slice(1)) {
    const count = faultCount(branch);
    if (count < fewest) [closest, fewest] = [branch, count];
  }
  return closest;
}
