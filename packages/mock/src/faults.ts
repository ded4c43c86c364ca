import { resolve, validatorAt } from "@loops-contract/spec";
import {
  closestBranch,
  escapePointer,
  isAtOrUnder,
  isObject,
  jsonType,
  matchesType,
  pointerSegments,
  valueAt,
} from "@loops-contract/spec/json";
import type { ErrorObject } from "ajv";

// ajv reports every failed branch of a `oneOf`, each as if it were the one meant, so its raw
// errors blame the wrong branch (a `between` condition with a string value comes out as "unknown
// property 'value'", from the branch that takes no value). Here the schema and the value are
// walked together: at a `oneOf`, the branch whose tags (`const`/`enum` properties, `type`) the
// value matches is the one meant, and only its faults are reported.

/** `/audienceFilter/conditions/0/value` -> `audienceFilter.conditions.0.value`. */
export function fieldName(instancePath: string): string {
  return pointerSegments(instancePath).join(".");
}

/**
 * The offending value, as sent. On purpose unlike the client's response explainer
 * (packages/client/src/body-drift.ts), which shares the pointer, type and branch helpers but shows
 * only code-like values: a request's faults go back to the one who sent it, while a response's
 * free text (a name, an address) must not reach the client's logs.
 */
function quoted(value: unknown): string {
  return typeof value === "string" ? `'${value}'` : JSON.stringify(value);
}

function describe(error: ErrorObject, path: string, data: unknown, root: string): string {
  const field = fieldName(path);
  const subject = field === "" ? root : field;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties":
      return `${subject} has an unknown field ${quoted(params.additionalProperty)}`;
    case "required":
      return `${subject} is missing the required field ${quoted(params.missingProperty)}`;
    case "type":
      return `${subject} must be ${[params.type].flat().join(" or ")}, got ${jsonType(data)}`;
    case "format":
      return `${subject} must be a ${String(params.format)}, got ${quoted(data)}`;
    case "const":
      return `${subject} must be ${quoted(params.allowedValue)}, got ${quoted(data)}`;
    case "enum":
      return `${subject} must be one of ${(params.allowedValues as unknown[]).map(quoted).join(", ")}, got ${quoted(data)}`;
    default:
      return `${subject} ${error.message ?? "is invalid"}`;
  }
}

/** The schema for a value below `pointer`'s, following `properties` and `items`. */
function schemaBelow(pointer: string, relativePath: string): string | undefined {
  let current = pointer;
  for (const segment of pointerSegments(relativePath)) {
    const { pointer: at, node } = resolve(current);
    if (isObject(node.properties) && isObject(node.properties[segment])) {
      current = `${at}/properties/${escapePointer(segment)}`;
    } else if (isObject(node.items) && /^\d+$/.test(segment)) {
      current = `${at}/items`;
    } else return undefined;
  }
  return current;
}

function alternativesOf(pointer: string): string[] | undefined {
  const { pointer: at, node } = resolve(pointer);
  const keyword = Array.isArray(node.oneOf) ? "oneOf" : Array.isArray(node.anyOf) ? "anyOf" : "";
  if (keyword === "") return undefined;
  return (node[keyword] as unknown[]).map((_, index) => `${at}/${keyword}/${index}`);
}

/** Whether `value` is of the kind `pointer`'s schema describes: its type and its tags match. */
function sameKind(pointer: string, value: unknown): boolean {
  const alternatives = alternativesOf(pointer);
  if (alternatives) return alternatives.some((branch) => sameKind(branch, value));
  const { node } = resolve(pointer);
  if (!matchesType(node.type, value)) return false;
  if (!isObject(value) || !isObject(node.properties)) return true;
  return Object.entries(node.properties).every(([name, property]) => {
    if (!Object.hasOwn(value, name) || !isObject(property)) return true;
    const tag =
      typeof property.$ref === "string"
        ? resolve(`${resolve(pointer).pointer}/properties/${escapePointer(name)}`).node
        : property;
    if ("const" in tag) return tag.const === value[name];
    if (Array.isArray(tag.enum)) return tag.enum.includes(value[name]);
    return true;
  });
}

/** Why none of the alternatives fits: the tag they all disagree with, or the value's type. */
function describeMismatch(
  alternatives: string[],
  value: unknown,
  path: string,
  root: string,
): string {
  const subject = fieldName(path) || root;
  const leaves = alternatives.flatMap((branch) => alternativesOf(branch) ?? [branch]);
  const nodes = leaves.map((branch) => resolve(branch).node);
  if (isObject(value)) {
    for (const name of Object.keys(value)) {
      const allowed = nodes.flatMap((node) => {
        const property = isObject(node.properties) ? node.properties[name] : undefined;
        if (!isObject(property)) return [];
        if ("const" in property) return [property.const];
        return Array.isArray(property.enum) ? property.enum : [];
      });
      if (allowed.length > 0 && !allowed.includes(value[name])) {
        const field = path === "" ? name : `${fieldName(path)}.${name}`;
        return `${field} must be one of ${[...new Set(allowed)].map(quoted).join(", ")}, got ${quoted(value[name])}`;
      }
    }
  }
  const types = [...new Set(nodes.flatMap((node) => [node.type ?? []].flat()))];
  return `${subject} must be ${types.join(" or ")}, got ${jsonType(value)}`;
}

function explainAt(
  pointer: string,
  value: unknown,
  path: string,
  depth: number,
  root: string,
): string[] {
  const alternatives = alternativesOf(pointer);
  if (alternatives && depth < 32) {
    const meant = closestBranch(
      alternatives,
      (branch) => sameKind(branch, value),
      (branch) => {
        const validate = validatorAt(branch);
        return validate(value) ? 0 : (validate.errors?.length ?? 0);
      },
    );
    if (meant === undefined) return [describeMismatch(alternatives, value, path, root)];
    return explainAt(meant, value, path, depth + 1, root);
  }
  const validate = validatorAt(pointer);
  if (validate(value)) return [];
  const errors = [...(validate.errors ?? [])];
  const under = (error: ErrorObject, branch: ErrorObject) =>
    isAtOrUnder(error.instancePath, branch.instancePath);
  const allBranching = errors.filter((e) => e.keyword === "oneOf" || e.keyword === "anyOf");
  // The outermost alternatives only: those nested in them are explained from inside.
  const branching = allBranching.filter(
    (error, index) =>
      !allBranching.some((other, otherIndex) =>
        other.instancePath.length < error.instancePath.length
          ? under(error, other)
          : other.instancePath === error.instancePath && otherIndex < index,
      ),
  );
  const inBranch = (error: ErrorObject) => allBranching.some((branch) => under(error, branch));
  const faults: string[] = [];
  for (const error of branching) {
    const below = schemaBelow(pointer, error.instancePath);
    const at = `${path}${error.instancePath}`;
    faults.push(
      ...(below === undefined
        ? [describe(error, at, valueAt(value, error.instancePath), root)]
        : explainAt(below, valueAt(value, error.instancePath), at, depth + 1, root)),
    );
  }
  for (const error of errors) {
    if (inBranch(error)) continue;
    faults.push(
      describe(error, `${path}${error.instancePath}`, valueAt(value, error.instancePath), root),
    );
  }
  return faults;
}

/** The faults of `value` against the schema at `pointer`, in words that name the field; `name` is what the value itself is called. */
export function explainFaults(pointer: string, value: unknown, name = "the body"): string[] {
  return [...new Set(explainAt(pointer, value, "", 0, name))];
}
