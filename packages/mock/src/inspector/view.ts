// What the inspector shows of the sandbox model, from the contract alone: each resource of
// `x-sandbox-model`, the fields its read schema declares with their types, and a key's records.
// The page renders whatever this lists, so a resource added to the contract appears unchanged.
import { type JsonObject, resolve } from "@loops-contract/spec";
import { propertyPointers, type Sandbox } from "../sandbox.js";

export interface FieldView {
  name: string;
  /** The JSON types the schema allows, its `oneOf`/`anyOf` branches' included. */
  types: string[];
  format?: string | undefined;
  description?: string | undefined;
}

export interface ResourceView {
  name: string;
  idField: string;
  fields: FieldView[];
  /** How many records the key holds; `records` are the newest of them. */
  total: number;
  records: JsonObject[];
}

/** Records shown per resource: the page is a look, not an export. */
export const recordsShown = 100;

function typesAt(pointer: string, seen = new Set<string>()): string[] {
  const { pointer: at, node } = resolve(pointer);
  if (seen.has(at)) return [];
  seen.add(at);
  if (node.type !== undefined) return [node.type].flat().map(String);
  if ("const" in node) return [node.const === null ? "null" : typeof node.const];
  const branches = ["oneOf", "anyOf", "allOf"].flatMap((keyword) => {
    const list = node[keyword];
    return Array.isArray(list) ? list.map((_, index) => `${at}/${keyword}/${index}`) : [];
  });
  return [...new Set(branches.flatMap((branch) => typesAt(branch, seen)))];
}

function fieldOf(name: string, pointer: string): FieldView {
  const { node } = resolve(pointer);
  const text = (value: unknown) => (typeof value === "string" ? value : undefined);
  return {
    name,
    types: typesAt(pointer),
    format: text(node.format),
    description: text(node.description),
  };
}

/** The fields of every resource, read once: the contract does not change while the mock runs. */
export function modelOf(sandbox: Sandbox): Array<Omit<ResourceView, "total" | "records">> {
  return sandbox.resources().map(({ name, idField, schemaPointer }) => ({
    name,
    idField,
    fields: [...propertyPointers(schemaPointer)].map(([field, at]) => fieldOf(field, at)),
  }));
}

/** Every resource with the key's newest records; `undefined` for a key the sandbox does not hold. */
export function resourcesOf(
  sandbox: Sandbox,
  model: ReturnType<typeof modelOf>,
  apiKey: string,
): ResourceView[] | undefined {
  const views: ResourceView[] = [];
  for (const resource of model) {
    const held = sandbox.records(apiKey, resource.name, recordsShown);
    if (held === undefined) return undefined;
    views.push({ ...resource, ...held });
  }
  return views;
}
