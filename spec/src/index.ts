// The bundled contract, read once, for every package that needs to know what the contract says:
// its operations (with their parameters, bodies, responses and examples), its webhooks, and one
// JSON Schema 2020-12 validator with the whole document loaded. This is the only `$ref` resolver
// in the repository and, with ./ajv.js, the only ajv set-up: the client's generator, the mock, the
// contract tests and the docs all read the contract through it.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { Ajv2020, ErrorObject, Options, ValidateFunction } from "ajv/dist/2020.js";
import { ajvOptions, setUpAjv } from "./ajv.js";
import { escapePointer, isObject, type JsonObject, unescapePointer } from "./json.js";
import type {
  SandboxModel,
  SandboxOperation,
  SandboxVocabulary,
  SandboxWebhook,
} from "./sandbox-vocabulary.gen.js";
// Compiled at build time (scripts/sandbox-vocabulary.mjs): compiling the schema on every import
// cost each importer about a third more CPU than loading the module without it.
import { validateSandboxVocabulary } from "./sandbox-vocabulary-validator.gen.js";

// The sandbox vocabulary's types, generated from sandbox-vocabulary.schema.mjs at build time.
export type {
  Refusal,
  SandboxAction,
  SandboxChange,
  SandboxIdentifiers,
  SandboxModel,
  SandboxOperation,
  SandboxPagination,
  SandboxPayload,
  SandboxResource,
  SandboxSchedule,
  SandboxValue,
  SandboxWebhook,
} from "./sandbox-vocabulary.gen.js";

export { ajvOptions, escapePointer, type JsonObject };

export const httpMethods = [
  "get",
  "put",
  "post",
  "delete",
  "patch",
  "head",
  "options",
  "trace",
] as const;
export type HttpMethod = (typeof httpMethods)[number];

/** The bundled contract's files: `openapi.json` (what this module reads) and `openapi.yaml`. */
export const contractPath = fileURLToPath(new URL("../openapi.json", import.meta.url));
export const contractYamlPath = fileURLToPath(new URL("../openapi.yaml", import.meta.url));

/** The whole bundle, as parsed JSON. Treat it as read-only. */
export const contract = JSON.parse(readFileSync(contractPath, "utf8")) as JsonObject;

export interface NamedExample {
  name: string;
  summary: string | undefined;
  value: unknown;
}

export interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  description: string | undefined;
  schema: JsonObject;
  /** JSON pointer to the (resolved) parameter's schema in the bundle, for `validatorAt`. */
  schemaPointer: string;
}

export interface DocumentedHeader {
  name: string;
  required: boolean;
  schema: JsonObject;
  schemaPointer: string;
  /** The header's own named examples; a response with several body examples names them alike. */
  examples: NamedExample[];
}

export interface JsonBody {
  /** JSON pointer to the body's schema in the bundle, for `validatorAt`. */
  schemaPointer: string;
  /** The schema as written (it may be a `$ref`; `resolve` follows it). */
  schema: JsonObject;
  examples: NamedExample[];
}

export interface RequestBody extends JsonBody {
  required: boolean;
  description: string | undefined;
}

export interface DocumentedResponse {
  /** The status as the contract writes it: "201", "429". */
  status: string;
  description: string;
  headers: DocumentedHeader[];
  /** The `application/json` body; `undefined` for a response without one (405). */
  body: JsonBody | undefined;
}

export interface SdkMethod {
  /** The client's namespace, e.g. `campaigns`. */
  namespace: string;
  /** The method in it, e.g. `create`. */
  name: string;
}

/** A security scheme of the document, as an operation requires it. */
export interface SecurityScheme {
  /** Its name under `components.securitySchemes`. */
  name: string;
  /** `http`, `apiKey`, `oauth2`, ... */
  type: string;
  /** An `http` scheme's, lower-cased: `bearer`, `basic`. */
  scheme: string | undefined;
}

export interface Operation {
  operationId: string;
  method: HttpMethod;
  path: string;
  /** JSON pointer to the operation in the bundle. */
  pointer: string;
  tag: string;
  summary: string;
  description: string;
  /** `x-sdk-method`: the client method that calls it. */
  sdkMethod: SdkMethod;
  /** `x-idempotent`: whether repeating the request leaves the same state (safe to retry blindly). */
  idempotent: boolean;
  /**
   * `x-sandbox`: what the mock's sandbox does with it (spec/SANDBOX.md); `undefined` for
   * `x-sandbox: false`, an operation answered from its examples that the sandbox keeps nothing for.
   */
  sandbox: SandboxOperation | undefined;
  /**
   * The ways to authenticate (the operation's `security`, else the document's): any one will do,
   * and each needs all of its schemes. Empty when the operation needs none.
   */
  security: SecurityScheme[][];
  /**
   * `x-idempotency-key`: the header parameter the client fills with one key per call, the same on
   * every retry of it, which makes the operation safe to retry (its `maxLength`, if the schema has one).
   */
  idempotencyKey: IdempotencyKey | undefined;
  /**
   * `x-exactly-one-of`: parameters of which a request sends exactly one (a contact by `email` or by
   * `userId`), a rule OpenAPI 3.1 cannot state for parameters; `undefined` without the marker.
   */
  exactlyOneOf: string[] | undefined;
  pathParameters: Parameter[];
  queryParameters: Parameter[];
  headerParameters: Parameter[];
  requestBody: RequestBody | undefined;
  responses: DocumentedResponse[];
}

export interface IdempotencyKey {
  /** The header's name, as the contract writes it: `Idempotency-Key`. */
  header: string;
  maxLength: number | undefined;
}

export class ContractError extends Error {
  override name = "ContractError";
}

/**
 * The node at a JSON pointer (`/paths/~1v1~1campaigns/post`) or a local ref (`#/components/...`),
 * in the contract or in another OpenAPI document.
 */
export function at(pointer: string, document: JsonObject = contract): unknown {
  let node: unknown = document;
  for (const segment of pointer.replace(/^#/, "").split("/").slice(1)) {
    node =
      isObject(node) || Array.isArray(node)
        ? (node as JsonObject)[unescapePointer(segment)]
        : undefined;
    if (node === undefined) throw new ContractError(`The contract has nothing at ${pointer}`);
  }
  return node;
}

/** Follows `$ref`s from a pointer to the node itself, returning the node and where it lives. */
export function resolve(
  pointer: string,
  document: JsonObject = contract,
): { pointer: string; node: JsonObject } {
  const seen = new Set<string>();
  let current = pointer.replace(/^#/, "");
  for (;;) {
    const node = at(current, document);
    if (!isObject(node)) throw new ContractError(`${current} is not an object`);
    const ref = node.$ref;
    if (typeof ref !== "string") return { pointer: current, node };
    if (!ref.startsWith("#/") || seen.has(ref)) {
      throw new ContractError(`Unresolvable $ref ${ref} at ${current}`);
    }
    seen.add(ref);
    current = ref.slice(1);
  }
}

/** Follows a node's `$ref`, if it has one, to the node it points at. */
export function deref(node: JsonObject, document: JsonObject = contract): JsonObject {
  return typeof node.$ref === "string" ? resolve(node.$ref, document).node : node;
}

/** JSON Schema keywords that only annotate a schema and never change what it accepts. */
export const annotationKeywords: ReadonlySet<string> = new Set([
  "title",
  "description",
  "examples",
  "example",
  "default",
  "deprecated",
  "readOnly",
  "writeOnly",
  "$comment",
]);

/**
 * The one ajv set-up (./ajv.js), with `document` (the contract by default) loaded as `contract`.
 * Extra options only change how code is generated, never what validates.
 */
export function createAjv(extraOptions: Options = {}, document: JsonObject = contract): Ajv2020 {
  return setUpAjv(extraOptions, document);
}

export const ajv = createAjv();

const validators = new Map<string, ValidateFunction>();

/** A validator for the schema at `pointer` in the bundle, compiled once. */
export function validatorAt(pointer: string): ValidateFunction {
  let validate = validators.get(pointer);
  if (!validate) {
    at(pointer);
    validate = ajv.compile({ $ref: `contract#${pointer.replace(/^#/, "")}` });
    validators.set(pointer, validate);
  }
  return validate;
}

/** A validator for `#/components/schemas/<name>`. */
export function schemaValidator(name: string): ValidateFunction {
  return validatorAt(`/components/schemas/${escapePointer(name)}`);
}

/** ajv's errors as lines of text, `/path message`. */
export function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return ajv.errorsText(errors, { separator: "\n" });
}

/** What is wrong with one part of a declaration, said the way SANDBOX.md would. */
function vocabularyFault(error: ErrorObject): string {
  const place = error.instancePath.slice(1);
  if (error.keyword === "false schema") return `${place} is only for the action inspect`;
  // The vocabulary's `not`s keep names for its own use (the outbox kind `webhook`).
  if (error.keyword === "not") return `${place} is a name the vocabulary reserves`;
  const allowed = error.keyword === "enum" ? `: ${error.params.allowedValues.join(", ")}` : "";
  return `${place} ${error.message}${allowed}`;
}

/**
 * `node` (an operation, or the whole contract) with its `x-sandbox` or `x-sandbox-model` checked
 * against the vocabulary: a declaration the sandbox cannot run on is a ContractError naming it.
 */
function withSandboxDeclarations(node: JsonObject, where: string): SandboxVocabulary {
  if (validateSandboxVocabulary(node)) return node;
  // An `if` only says which branch applied, and a declaration that is not `false` is wrong in what
  // its object says: the errors of the `false` alternative and of the `anyOf` around it are noise.
  const faults = (validateSandboxVocabulary.errors ?? [])
    .filter(
      (error) =>
        error.keyword !== "if" &&
        error.keyword !== "anyOf" &&
        !(error.keyword === "const" && error.params.allowedValue === false),
    )
    .map(vocabularyFault);
  throw new ContractError(
    `${where} does not fit the sandbox vocabulary (SANDBOX.md): ${faults.join("; ")}`,
  );
}

function namedExamples(document: JsonObject, mediaPointer: string): NamedExample[] {
  const media = at(mediaPointer, document) as JsonObject;
  const examples = isObject(media.examples) ? media.examples : {};
  return Object.keys(examples).map((name) => {
    const { node } = resolve(`${mediaPointer}/examples/${escapePointer(name)}`, document);
    return {
      name,
      summary: typeof node.summary === "string" ? node.summary : undefined,
      value: node.value,
    };
  });
}

function jsonBody(
  document: JsonObject,
  containerPointer: string,
  container: JsonObject,
): JsonBody | undefined {
  const content = container.content;
  if (!isObject(content) || !isObject(content["application/json"])) return undefined;
  const mediaPointer = `${containerPointer}/content/${escapePointer("application/json")}`;
  const media = content["application/json"] as JsonObject;
  if (!isObject(media.schema)) throw new ContractError(`${mediaPointer} has no schema`);
  return {
    schemaPointer: `${mediaPointer}/schema`,
    schema: media.schema,
    examples: namedExamples(document, mediaPointer),
  };
}

function parametersOf(
  document: JsonObject,
  pathPointer: string,
  operationPointer: string,
): Parameter[] {
  const byKey = new Map<string, Parameter>();
  // Operation-level parameters override path-level ones of the same name and place.
  for (const ownerPointer of [pathPointer, operationPointer]) {
    const owner = at(ownerPointer, document) as JsonObject;
    const list = Array.isArray(owner.parameters) ? owner.parameters : [];
    list.forEach((_, index) => {
      const { pointer, node } = resolve(`${ownerPointer}/parameters/${index}`, document);
      if (node.in !== "path" && node.in !== "query" && node.in !== "header") return;
      if (!isObject(node.schema)) throw new ContractError(`${pointer} has no schema`);
      byKey.set(`${node.in}:${String(node.name)}`, {
        name: String(node.name),
        in: node.in,
        required: node.required === true,
        description: typeof node.description === "string" ? node.description : undefined,
        schema: node.schema,
        schemaPointer: `${pointer}/schema`,
      });
    });
  }
  return [...byKey.values()];
}

function responsesOf(
  document: JsonObject,
  operationPointer: string,
  operation: JsonObject,
): DocumentedResponse[] {
  const responses = isObject(operation.responses) ? operation.responses : {};
  return Object.keys(responses).map((status) => {
    const { pointer, node } = resolve(
      `${operationPointer}/responses/${escapePointer(status)}`,
      document,
    );
    const headers = isObject(node.headers) ? node.headers : {};
    return {
      status,
      description: String(node.description ?? ""),
      headers: Object.keys(headers).map((name) => {
        const header = resolve(`${pointer}/headers/${escapePointer(name)}`, document);
        return {
          name,
          required: header.node.required === true,
          schema: header.node.schema as JsonObject,
          schemaPointer: `${header.pointer}/schema`,
          examples: namedExamples(document, header.pointer),
        };
      }),
      body: jsonBody(document, pointer, node),
    };
  });
}

function sdkMethodOf(value: unknown, where: string): SdkMethod {
  const match =
    typeof value === "string" ? /^([a-z][A-Za-z0-9]*)\.([a-z][A-Za-z0-9]*)$/.exec(value) : null;
  if (!match)
    throw new ContractError(
      `${where} needs x-sdk-method "namespace.method", got ${JSON.stringify(value)}`,
    );
  return { namespace: match[1] as string, name: match[2] as string };
}

/** The header parameter `x-idempotency-key` names, found among the operation's and its path's. */
function idempotencyKeyOf(
  document: JsonObject,
  pathPointer: string,
  operationPointer: string,
  where: string,
): IdempotencyKey | undefined {
  const marker = (at(operationPointer, document) as JsonObject)["x-idempotency-key"];
  if (marker === undefined) return undefined;
  for (const ownerPointer of [operationPointer, pathPointer]) {
    const owner = at(ownerPointer, document) as JsonObject;
    const count = Array.isArray(owner.parameters) ? owner.parameters.length : 0;
    for (let index = 0; index < count; index += 1) {
      const { node } = resolve(`${ownerPointer}/parameters/${index}`, document);
      if (node.in !== "header" || String(node.name).toLowerCase() !== String(marker).toLowerCase())
        continue;
      const schema = isObject(node.schema) ? deref(node.schema, document) : {};
      const maxLength = typeof schema.maxLength === "number" ? schema.maxLength : undefined;
      return { header: String(node.name), maxLength };
    }
  }
  throw new ContractError(
    `${where} has x-idempotency-key ${String(marker)}, no header parameter of it`,
  );
}

/** `x-exactly-one-of`: two or more optional parameters of the operation, named once each. */
function exactlyOneOfOf(
  raw: JsonObject,
  parameters: Parameter[],
  where: string,
): string[] | undefined {
  const names = raw["x-exactly-one-of"];
  if (names === undefined) return undefined;
  const optional = new Set(parameters.filter((p) => !p.required).map((p) => p.name));
  if (
    !Array.isArray(names) ||
    names.length < 2 ||
    new Set(names).size !== names.length ||
    !names.every((name) => optional.has(name))
  ) {
    throw new ContractError(
      `${where} has x-exactly-one-of ${JSON.stringify(names)}: it must name two or more of its optional parameters, once each`,
    );
  }
  return names;
}

function securityOf(document: JsonObject, operation: JsonObject): SecurityScheme[][] {
  const requirements = Array.isArray(operation.security) ? operation.security : document.security;
  return (Array.isArray(requirements) ? requirements : []).map((requirement) =>
    Object.keys(isObject(requirement) ? requirement : {}).map((name) => {
      const { node } = resolve(`/components/securitySchemes/${escapePointer(name)}`, document);
      const scheme = typeof node.scheme === "string" ? node.scheme.toLowerCase() : undefined;
      return { name, type: String(node.type), scheme };
    }),
  );
}

/**
 * Every operation of an OpenAPI 3.1 document (the contract, or another such as the mock's own
 * controls), in its order, read as `operations` reads the contract's: pointers are the document's,
 * for `at(pointer, document)` and `resolve(pointer, document)`.
 */
export function operationsOf(document: JsonObject): Operation[] {
  const paths = isObject(document.paths) ? document.paths : {};
  const list: Operation[] = [];
  for (const path of Object.keys(paths)) {
    const pathPointer = `/paths/${escapePointer(path)}`;
    const pathItem = resolve(pathPointer, document);
    for (const method of httpMethods) {
      const raw = pathItem.node[method];
      if (!isObject(raw)) continue;
      const pointer = `${pathItem.pointer}/${method}`;
      const where = `${method.toUpperCase()} ${path}`;
      if (typeof raw.operationId !== "string")
        throw new ContractError(`${where} has no operationId`);
      if (typeof raw["x-idempotent"] !== "boolean") {
        throw new ContractError(`${where} needs x-idempotent: true or false`);
      }
      const parameters = parametersOf(document, pathItem.pointer, pointer);
      const requestBody = isObject(raw.requestBody)
        ? resolve(`${pointer}/requestBody`, document)
        : undefined;
      const body = requestBody && jsonBody(document, requestBody.pointer, requestBody.node);
      list.push({
        operationId: raw.operationId,
        method,
        path,
        pointer,
        tag: Array.isArray(raw.tags) ? String(raw.tags[0]) : "",
        summary: String(raw.summary ?? ""),
        description: String(raw.description ?? ""),
        sdkMethod: sdkMethodOf(raw["x-sdk-method"], where),
        idempotent: raw["x-idempotent"],
        sandbox: withSandboxDeclarations(raw, where)["x-sandbox"] || undefined,
        security: securityOf(document, raw),
        idempotencyKey: idempotencyKeyOf(document, pathItem.pointer, pointer, where),
        exactlyOneOf: exactlyOneOfOf(raw, parameters, where),
        pathParameters: parameters.filter((parameter) => parameter.in === "path"),
        queryParameters: parameters.filter((parameter) => parameter.in === "query"),
        headerParameters: parameters.filter((parameter) => parameter.in === "header"),
        requestBody:
          body && requestBody
            ? {
                ...body,
                required: requestBody.node.required === true,
                description:
                  typeof requestBody.node.description === "string"
                    ? requestBody.node.description
                    : undefined,
              }
            : undefined,
        responses: responsesOf(document, pointer, raw),
      });
    }
  }
  return list;
}

/** Every operation of the contract, in the bundle's order. */
export const operations: readonly Operation[] = operationsOf(contract);

export interface Webhook {
  /** Its key under the document's `webhooks`, Loops' name for it: `contactCreated`. */
  key: string;
  /** The `eventName` its payload always carries (the schema's `const`): `contact.created`. */
  eventName: string;
  summary: string;
  description: string;
  /** JSON pointer to its `post` in the bundle. */
  pointer: string;
  /**
   * The payload schema, its own `$ref` followed; the `$ref`s inside it stay (validate a payload
   * with `validatorAt(schemaPointer)`).
   */
  schema: JsonObject;
  /** JSON pointer to the payload schema in the bundle, for `validatorAt`. */
  schemaPointer: string;
  /** The payload's named examples: name -> value. */
  examples: Record<string, unknown>;
  /** The names of the headers every delivery carries (its required header parameters). */
  headers: string[];
  /**
   * Its `x-sandbox` (spec/SANDBOX.md): which state change of the mock's sandbox emits it and where
   * its payload's fields come from, checked against the vocabulary on load; `undefined` for
   * `x-sandbox: false`, a webhook the sandbox sends only when triggered.
   */
  sandbox: SandboxWebhook | undefined;
}

/** The `const` of `eventName` in a payload schema, looked for through its `allOf`. */
function eventNameOf(document: JsonObject, schemaPointer: string): string | undefined {
  const { pointer, node } = resolve(schemaPointer, document);
  const properties = isObject(node.properties) ? node.properties : {};
  const eventName = isObject(properties.eventName) ? properties.eventName.const : undefined;
  if (typeof eventName === "string") return eventName;
  const parts = Array.isArray(node.allOf) ? node.allOf : [];
  for (let index = 0; index < parts.length; index += 1) {
    const found = eventNameOf(document, `${pointer}/allOf/${index}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Every webhook of an OpenAPI 3.1 document (its root `webhooks`: one path item with one `post`
 * each), in its order. Pointers are the document's, as `operationsOf` gives them.
 */
export function webhooksOf(document: JsonObject): Webhook[] {
  const map = isObject(document.webhooks) ? document.webhooks : {};
  return Object.keys(map).map((key) => {
    const pathItem = resolve(`/webhooks/${escapePointer(key)}`, document);
    const raw = pathItem.node.post;
    if (!isObject(raw)) throw new ContractError(`Webhook ${key} has no post`);
    const pointer = `${pathItem.pointer}/post`;
    const requestBody = isObject(raw.requestBody)
      ? resolve(`${pointer}/requestBody`, document)
      : undefined;
    const body = requestBody && jsonBody(document, requestBody.pointer, requestBody.node);
    if (!body) throw new ContractError(`Webhook ${key} has no application/json body`);
    const eventName = eventNameOf(document, body.schemaPointer);
    if (eventName === undefined) {
      throw new ContractError(`Webhook ${key}'s payload schema fixes no eventName (const)`);
    }
    const declared = { "x-sandbox-webhook": raw["x-sandbox"] };
    const sandbox = withSandboxDeclarations(declared, `Webhook ${key}`)["x-sandbox-webhook"];
    return {
      key,
      eventName,
      summary: String(raw.summary ?? ""),
      description: String(raw.description ?? ""),
      pointer,
      schema: resolve(body.schemaPointer, document).node,
      schemaPointer: body.schemaPointer,
      examples: Object.fromEntries(body.examples.map(({ name, value }) => [name, value])),
      headers: parametersOf(document, pathItem.pointer, pointer)
        .filter((parameter) => parameter.in === "header" && parameter.required)
        .map((parameter) => parameter.name),
      sandbox: sandbox || undefined,
    };
  });
}

/** Every webhook of the contract, in the bundle's order. */
export const webhooks: readonly Webhook[] = webhooksOf(contract);

/**
 * The contract's `x-sandbox-model`, if it has one, checked against the vocabulary on load; Spectral
 * also checks that every name in it exists in the contract.
 */
export const sandboxModel: SandboxModel | undefined = withSandboxDeclarations(
  contract,
  "The contract",
)["x-sandbox-model"];

export function getOperation(operationId: string): Operation {
  const found = operations.find((operation) => operation.operationId === operationId);
  if (!found) throw new ContractError(`The contract has no operation ${operationId}`);
  return found;
}

/**
 * The operations a concrete request path (`/v1/campaigns/abc`) matches, with its path parameters:
 * the contract's, or those of another document's `operationsOf`.
 */
export function operationsMatching(
  requestPath: string,
  within: readonly Operation[] = operations,
): Array<{ operation: Operation; pathParameters: Record<string, string> }> {
  const matches: Array<{ operation: Operation; pathParameters: Record<string, string> }> = [];
  for (const operation of within) {
    const pathParameters = matchPath(operation.path, requestPath);
    if (pathParameters) matches.push({ operation, pathParameters });
  }
  return matches;
}

function matchPath(template: string, requestPath: string): Record<string, string> | undefined {
  const want = template.split("/");
  const got = requestPath.split("/");
  if (want.length !== got.length) return undefined;
  const values: Record<string, string> = {};
  for (const [index, segment] of want.entries()) {
    const actual = got[index] as string;
    const name = /^\{(.+)\}$/.exec(segment)?.[1];
    if (name === undefined) {
      if (segment !== actual) return undefined;
    } else {
      if (actual === "") return undefined;
      try {
        values[name] = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
    }
  }
  return values;
}

export interface InvalidBody {
  /** What is wrong with it, in words. */
  name: string;
  body: unknown;
}

const testDataDir = new URL("../../test-data/", import.meta.url);

/**
 * Request bodies the operation's schema must refuse, from `spec/test-data/invalid-bodies/`: the one
 * table the facts tests, the mock's tests and the contract tests all send. Every operation that
 * takes a body has one.
 */
export function invalidBodies(operationId: string): InvalidBody[] {
  const operation = getOperation(operationId);
  if (!operation.requestBody) return [];
  const file = new URL(`invalid-bodies/${operationId}.yaml`, testDataDir);
  let rows: unknown;
  try {
    // Loaded here, not at import: only tests read these tables, and every start-up pays for an import.
    const { parse } = createRequire(import.meta.url)("yaml") as typeof import("yaml");
    rows = parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ContractError(`No table of invalid bodies for ${operationId}: ${String(error)}`);
  }
  if (
    !Array.isArray(rows) ||
    rows.some((row) => !isObject(row) || typeof row.name !== "string" || !("body" in row))
  ) {
    throw new ContractError(`${fileURLToPath(file)} must be a list of { name, body }`);
  }
  return rows as InvalidBody[];
}
