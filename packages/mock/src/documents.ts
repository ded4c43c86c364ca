// The OpenAPI documents the engine serves: the contract, and the mock's own controls
// (openapi/sandbox.yaml). Both are read by @loops-contract/spec, so a control is routed and
// validated as a contract operation is.
import { readFile } from "node:fs/promises";
import {
  createAjv,
  type DocumentedHeader,
  type JsonObject,
  type Operation,
  operations,
  operationsOf,
  resolve,
  validatorAt,
} from "@loops-contract/spec";
import type { ValidateFunction } from "ajv";
import { assertCheckableSecurity } from "./checks.js";
import { explainFaults, fieldName } from "./faults.js";

export interface ServedDocument {
  /** `contract`: Loops' operations. `controls`: the mock's own, with no rate limit and no `Prefer`. */
  kind: "contract" | "controls";
  operations: readonly Operation[];
  /** The schema at a pointer of the document, its `$ref`s followed. */
  schemaAt(pointer: string): JsonObject;
  validatorAt(pointer: string): ValidateFunction;
  /** Why a value does not fit the schema at a pointer, each fault naming the field. */
  explain(pointer: string, value: unknown, name?: string): string[];
  /** Headers every documented answer carries: an undocumented status carries them too. */
  headersOfEveryAnswer: readonly DocumentedHeader[];
  /** What a request for a path or method the document lacks is told. */
  lacks(method: string, pathname: string): string;
}

function headersOfEveryAnswer(within: readonly Operation[]): DocumentedHeader[] {
  const responses = within.flatMap((operation) => operation.responses);
  const first = responses[0]?.headers ?? [];
  return first.filter((header) =>
    responses.every((response) =>
      response.headers.some((other) => other.name.toLowerCase() === header.name.toLowerCase()),
    ),
  );
}

assertCheckableSecurity(operations);

export const contractDocument: ServedDocument = {
  kind: "contract",
  operations,
  schemaAt: (pointer) => resolve(pointer).node,
  validatorAt,
  explain: explainFaults,
  headersOfEveryAnswer: headersOfEveryAnswer(operations),
  lacks: (method, pathname) => `No operation at ${method} ${pathname}.`,
};

function listed(items: string[]): string {
  return items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** The controls' document as the engine serves it, from its parsed YAML. */
function servedControls(document: JsonObject): ServedDocument {
  const ajv = createAjv({}, document);
  const validators = new Map<string, ValidateFunction>();
  const validatorIn = (pointer: string): ValidateFunction => {
    let validate = validators.get(pointer);
    if (validate === undefined) {
      validate = ajv.compile({ $ref: `contract#${pointer.replace(/^#/, "")}` });
      validators.set(pointer, validate);
    }
    return validate;
  };
  const controls = operationsOf(document);
  assertCheckableSecurity(controls);
  const names = controls.map((operation) => `${operation.method.toUpperCase()} ${operation.path}`);
  return {
    kind: "controls",
    operations: controls,
    schemaAt: (pointer) => resolve(pointer, document).node,
    validatorAt: validatorIn,
    // Its schemas are flat: ajv's own words, with the field named, say what is wrong.
    explain: (pointer, value, name = "the body") => {
      const validate = validatorIn(pointer);
      if (validate(value)) return [];
      return (validate.errors ?? []).map(
        (error) => `${fieldName(error.instancePath) || name} ${error.message ?? "is invalid"}`,
      );
    },
    headersOfEveryAnswer: headersOfEveryAnswer(controls),
    lacks: (method, pathname) =>
      `No sandbox control at ${method} ${pathname}; there are ${listed(names)}.`,
  };
}

let controls: Promise<ServedDocument> | undefined;

/**
 * The controls' document, read on the first request for a control: a start-up that never meets
 * one does not load a YAML parser.
 */
export function controlsDocument(): Promise<ServedDocument> {
  controls ??= Promise.all([
    import("yaml"),
    readFile(new URL("../openapi/sandbox.yaml", import.meta.url), "utf8"),
    // yaml is CommonJS: its module object is the default export, bundled or not.
  ]).then(([yaml, text]) => servedControls(yaml.default.parse(text) as JsonObject));
  return controls;
}
