import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

// The contract's own bundle, read as data: the suite checks the server and the client against it
// with ajv, a JSON Schema 2020-12 validator that shares no code with Prism's.

export type JsonObject = Record<string, unknown>;

const require = createRequire(import.meta.url);
export const contract = JSON.parse(
  readFileSync(require.resolve("@loops-contract/spec/openapi.json"), "utf8"),
) as JsonObject;

export const operationPath = "/v1/campaigns";
const operationPointer = "/paths/~1v1~1campaigns/post";

function escapePointer(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}

function at(pointer: string): unknown {
  let node: unknown = contract;
  for (const raw of pointer.split("/").slice(1)) {
    const segment = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    node = (node as JsonObject)[segment];
    if (node === undefined) throw new Error(`The contract has nothing at ${pointer}`);
  }
  return node;
}

/** Follows `$ref`s to the node itself, returning it with the pointer where it lives. */
function resolve(pointer: string): { pointer: string; node: JsonObject } {
  const node = at(pointer) as JsonObject;
  const ref = node.$ref;
  if (typeof ref === "string") return resolve(ref.slice(1));
  return { pointer, node };
}

function namedExamples(mediaPointer: string): Array<[string, unknown]> {
  const examples = (at(mediaPointer) as JsonObject).examples as JsonObject | undefined;
  return Object.keys(examples ?? {}).map((name) => [
    name,
    resolve(`${mediaPointer}/examples/${escapePointer(name)}`).node.value,
  ]);
}

// The OpenAPI document is not a JSON Schema, so ajv would call its wrapper keywords unknown:
// strict mode is off for that reason only. Schemas are compiled by pointer into the document.
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv);
ajv.addSchema(contract, "contract");

function compileAt(pointer: string): ValidateFunction {
  return ajv.compile({ $ref: `contract#${pointer}` });
}

export function describeErrors(validate: ValidateFunction): string {
  return ajv.errorsText(validate.errors, { separator: "\n" });
}

const requestMedia = `${resolve(`${operationPointer}/requestBody`).pointer}/content/application~1json`;

export const request = {
  schemaPointer: `${requestMedia}/schema`,
  validate: compileAt(`${requestMedia}/schema`),
  /** Every named request example, `[name, value]`. */
  examples: namedExamples(requestMedia),
};

export interface DocumentedResponse {
  status: number;
  /** Validates the JSON body; `undefined` when the contract documents no body. */
  validateBody: ValidateFunction | undefined;
  /** Required headers and a validator for each value (parsed as JSON when it parses). */
  headers: Array<{ name: string; required: boolean; validate: ValidateFunction }>;
  examples: Array<[string, unknown]>;
}

function documentedResponse(status: string): DocumentedResponse {
  const { pointer, node } = resolve(`${operationPointer}/responses/${status}`);
  const content = node.content as JsonObject | undefined;
  const media =
    content?.["application/json"] === undefined
      ? undefined
      : `${pointer}/content/application~1json`;
  const headers = Object.keys((node.headers as JsonObject | undefined) ?? {}).map((name) => {
    const header = resolve(`${pointer}/headers/${escapePointer(name)}`);
    return {
      name,
      required: header.node.required === true,
      validate: compileAt(`${header.pointer}/schema`),
    };
  });
  return {
    status: Number(status),
    validateBody: media === undefined ? undefined : compileAt(`${media}/schema`),
    headers,
    examples: media === undefined ? [] : namedExamples(media),
  };
}

export const responses: DocumentedResponse[] = Object.keys(
  at(`${operationPointer}/responses`) as JsonObject,
).map(documentedResponse);

export function documentedResponseFor(status: number): DocumentedResponse | undefined {
  return responses.find((response) => response.status === status);
}
