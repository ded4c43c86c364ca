// What the suite needs to know about each operation, derived from the bundle through the spec
// module (its one `$ref` resolver and its one ajv): nothing here names an operation or a path.
import {
  type DocumentedResponse,
  type JsonObject,
  type Operation,
  operations,
  type Parameter,
  resolve,
} from "@loops-contract/spec";
import { isObject } from "@loops-contract/spec/json";

export type { DocumentedResponse, JsonObject, Operation };
export { operations };

/** Where an id must be opaque and no example gives one: shaped like Loops' own ids. */
export const opaqueId = "cm0contracttest0000000001";

/** `GET /v1/things/{thingId}`, for test names. */
export function label(operation: Operation): string {
  return `${operation.operationId} (${operation.method.toUpperCase()} ${operation.path})`;
}

/** The first 2xx the operation documents: what a valid request gets. */
export function successOf(operation: Operation): DocumentedResponse {
  const success = operation.responses.find((response) => /^2\d\d$/.test(response.status));
  if (!success) throw new Error(`${label(operation)} documents no 2xx response`);
  return success;
}

export function documentedResponse(
  operation: Operation,
  status: number,
): DocumentedResponse | undefined {
  return operation.responses.find((response) => response.status === String(status));
}

/** The value a parameter's own examples give, if any (`example`, `examples`, or its schema's). */
function parameterExample(parameter: Parameter): unknown {
  const node = resolve(parameter.schemaPointer.replace(/\/schema$/, "")).node;
  if (node.example !== undefined) return node.example;
  if (isObject(node.examples)) {
    const [first] = Object.keys(node.examples);
    if (first !== undefined) {
      const example = node.examples[first];
      return isObject(example) ? deref(example).value : undefined;
    }
  }
  const schema = parameter.schema;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  return schema.example;
}

function deref(node: JsonObject): JsonObject {
  return typeof node.$ref === "string" ? resolve(node.$ref).node : node;
}

/** Path parameters from the operation's examples, or one fixed opaque id: the mock takes either. */
export function examplePathParameters(operation: Operation): Record<string, string> {
  return Object.fromEntries(
    operation.pathParameters.map((parameter) => {
      const example = parameterExample(parameter);
      return [parameter.name, example === undefined ? opaqueId : String(example)];
    }),
  );
}

/**
 * The query an operation needs by default: of an `x-exactly-one-of` group, its first parameter, set
 * to its example (the operation refuses both and neither); `{}` for any other operation.
 */
export function exampleQuery(operation: Operation): Record<string, string> {
  const name = operation.exactlyOneOf?.[0];
  const parameter = operation.queryParameters.find((candidate) => candidate.name === name);
  return parameter ? { [parameter.name]: String(parameterExample(parameter) ?? opaqueId) } : {};
}

/** The request URL: path parameters percent-encoded, query parameters appended. */
export function urlFor(
  baseUrl: string,
  operation: Operation,
  pathParameters: Record<string, string> = examplePathParameters(operation),
  query: Record<string, string> = exampleQuery(operation),
): string {
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = pathParameters[name];
    if (value === undefined) throw new Error(`No value for path parameter ${name}`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams(query).toString();
  return `${baseUrl}${path}${search ? `?${search}` : ""}`;
}

/** The first named request example, or `undefined` when the operation takes no body. */
export function firstRequestExample(operation: Operation): unknown {
  return operation.requestBody?.examples[0]?.value;
}

/** Does the schema at `pointer` (through `$ref`s and `allOf`) pin `status` to `Draft`? */
function pinsDraftStatus(pointer: string, depth = 0): boolean {
  if (depth > 8) return false;
  const { pointer: here, node } = resolve(pointer);
  const status = isObject(node.properties) ? node.properties.status : undefined;
  if (isObject(status)) {
    const resolved = deref(status);
    if (resolved.const === "Draft") return true;
    if (Array.isArray(resolved.enum) && resolved.enum.length === 1 && resolved.enum[0] === "Draft")
      return true;
  }
  return Array.isArray(node.allOf)
    ? node.allOf.some((_, index) => pinsDraftStatus(`${here}/allOf/${index}`, depth + 1))
    : false;
}

/**
 * How sending this operation to a real team could change what the team has:
 * - `read`: a GET, nothing changes;
 * - `draft`: creates something the contract says is always a draft (a create whose success body
 *   pins `status` to `Draft`), which sends nothing and can be deleted by hand;
 * - `write`: anything else (updates, previews, scheduling, other creates).
 */
export type Effect = "read" | "draft" | "write";

export function effectOf(operation: Operation): Effect {
  if (operation.method === "get") return "read";
  const success = successOf(operation);
  if (
    operation.method === "post" &&
    operation.pathParameters.length === 0 &&
    success.body !== undefined &&
    pinsDraftStatus(success.body.schemaPointer)
  ) {
    return "draft";
  }
  return "write";
}

/** The other operations on the same path: a wrong method is one none of them uses. */
export function methodsOnPath(path: string): string[] {
  return operations
    .filter((operation) => operation.path === path)
    .map((operation) => operation.method.toUpperCase());
}

/** Every path of the contract, once. */
export const paths = [...new Set(operations.map((operation) => operation.path))];
