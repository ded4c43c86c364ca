// The bundled contract, read the way the docs show it: what a reader must find on the page.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export type JsonObject = { [key: string]: unknown };

export const contract: JsonObject = JSON.parse(
  readFileSync(fileURLToPath(import.meta.resolve("@loops-contract/spec/openapi.json")), "utf8"),
);

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Follows a local `#/...` reference, if `node` is one. */
export function resolve(node: unknown): JsonObject {
  if (!isObject(node)) throw new Error(`Not an object: ${JSON.stringify(node)}`);
  const ref = node.$ref;
  if (typeof ref !== "string") return node;
  let target: unknown = contract;
  for (const segment of ref.replace(/^#\//, "").split("/")) {
    target = isObject(target)
      ? target[segment.replaceAll("~1", "/").replaceAll("~0", "~")]
      : undefined;
  }
  return resolve(target);
}

function child(node: JsonObject, key: string): JsonObject {
  const value = node[key];
  if (!isObject(value)) throw new Error(`No object at ${key}`);
  return value;
}

/** Every property name a schema can hold, through references, compositions and array items. */
export function fieldNames(schema: unknown, seen = new Set<JsonObject>()): Set<string> {
  const names = new Set<string>();
  const node = resolve(schema);
  if (seen.has(node)) return names;
  seen.add(node);
  const add = (more: Iterable<string>) => {
    for (const name of more) names.add(name);
  };
  if (isObject(node.properties)) {
    for (const [name, property] of Object.entries(node.properties)) {
      names.add(name);
      add(fieldNames(property, seen));
    }
  }
  for (const keyword of ["oneOf", "anyOf", "allOf"]) {
    const branches = node[keyword];
    if (Array.isArray(branches)) for (const branch of branches) add(fieldNames(branch, seen));
  }
  if (node.items !== undefined) add(fieldNames(node.items, seen));
  return names;
}

export function operation(operationId: string): JsonObject {
  for (const pathItem of Object.values(child(contract, "paths"))) {
    if (!isObject(pathItem)) continue;
    for (const candidate of Object.values(pathItem)) {
      if (isObject(candidate) && candidate.operationId === operationId) return candidate;
    }
  }
  throw new Error(`No operation ${operationId}`);
}

export function jsonSchema(container: JsonObject): JsonObject | undefined {
  const content = container.content;
  if (!isObject(content)) return undefined;
  const media = content["application/json"];
  return isObject(media) && isObject(media.schema) ? media.schema : undefined;
}

/** Per response status: its header names and its body's field names. */
export function responseFields(op: JsonObject): Map<string, Set<string>> {
  const fields = new Map<string, Set<string>>();
  for (const [status, response] of Object.entries(child(op, "responses"))) {
    const resolved = resolve(response);
    const names = new Set(Object.keys(isObject(resolved.headers) ? resolved.headers : {}));
    const schema = jsonSchema(resolved);
    if (schema) for (const name of fieldNames(schema)) names.add(name);
    fields.set(status, names);
  }
  return fields;
}

export function requestFields(op: JsonObject): Set<string> {
  const schema = jsonSchema(resolve(op.requestBody));
  if (!schema) throw new Error("The operation takes no JSON body");
  return fieldNames(schema);
}

/** Markdown as the page shows it in text: no emphasis or code markers, one space between words. */
export function paragraphs(markdown: unknown): string[] {
  if (typeof markdown !== "string") throw new Error("No description");
  return markdown
    .split(/\n\s*\n/)
    .map((paragraph) => plainText(paragraph.replace(/[*`]/g, "")))
    .filter((paragraph) => paragraph.length > 0);
}

function plainText(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
