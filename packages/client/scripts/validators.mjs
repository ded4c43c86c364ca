// Compiles the contract's response and webhook payload schemas into standalone validators on every
// build (ajv's standalone code, with the spec module's ajv set-up), so the opt-in validation ships
// plain functions and no schema compiler. Writes src/response-validators.gen.ts:
//   one validator per documented response body and header schema, and per oneOf/anyOf alternative
//   (the runtime re-checks a value against each to say which field drifted), plus a table by
//   operationId of each documented status: its body validator and its headers;
// and src/webhook-validators.gen.ts: one validator per webhook payload by its eventName, with its
//   alternatives' validators the same way.
// And src/json.gen.ts, the spec package's pure JSON helpers (`@loops-contract/spec/json`, from
// spec/src/json.ts) that the runtime uses, copied rather than imported: the published client has
// no runtime dependency on the spec package, whose main entry loads the bundle and ajv.
import { readFile, writeFile } from "node:fs/promises";
import {
  annotationKeywords,
  contract,
  createAjv,
  operations,
  resolve,
  webhooks,
} from "@loops-contract/spec";
import { escapePointer, isObject, valueAt } from "@loops-contract/spec/json";
import { _ } from "ajv/dist/2020.js";
import standaloneCode from "ajv/dist/standalone/index.js";

/** Keywords whose value maps names to subschemas (the names are data, not keywords). */
const SCHEMA_MAPS = new Set(["properties", "patternProperties", "$defs", "dependentSchemas"]);
/** Keywords whose value is one subschema. */
const SUBSCHEMAS = ["items", "additionalProperties", "not", "contains", "if", "then", "else"];
/** Keywords whose value is data, kept as is. */
const SCHEMA_DATA = new Set(["enum", "const", "required"]);

function stripSchema(schema) {
  if (Array.isArray(schema)) return schema.map(stripSchema);
  if (!isObject(schema)) return schema;
  const kept = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (annotationKeywords.has(keyword) || keyword.startsWith("x-")) continue;
    if (SCHEMA_DATA.has(keyword)) kept[keyword] = value;
    else if (SCHEMA_MAPS.has(keyword)) {
      kept[keyword] = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, stripSchema(sub)]),
      );
    } else kept[keyword] = stripSchema(value);
  }
  return kept;
}

/** The contract with its schemas (every `schema` field and `components.schemas`) stripped. */
function stripDocument(node, inSchemas = false) {
  if (Array.isArray(node)) return node.map((item) => stripDocument(item));
  if (!isObject(node)) return node;
  const copy = {};
  for (const [key, value] of Object.entries(node)) {
    if (inSchemas || key === "schema") copy[key] = stripSchema(value);
    else copy[key] = stripDocument(value, key === "schemas");
  }
  return copy;
}

const HEADER = `// @ts-nocheck ajv's standalone code is plain JavaScript.
// Generated from the contract by scripts/validators.mjs on every build. Do not edit.
`;

const document = stripDocument(contract);
const at = (pointer) => valueAt(document, pointer);

/**
 * A set of standalone validators, compiled into one module: `validatorFor(pointer)` names the
 * export for a schema, `collectAlternatives(pointer)` adds one for each oneOf/anyOf alternative
 * reachable from it, `code()` is ajv's standalone module of them all.
 */
function validatorSet({ inlineRefs }) {
  // messages: false and verbose: the runtime words each error itself from its keyword, params and
  // schema; inlineRefs: false compiles each component once instead of into every schema using it.
  const ajv = createAjv(
    {
      code: { source: true, esm: true, formats: _`ajvFormats` },
      messages: false,
      verbose: true,
      inlineRefs,
    },
    document,
  );
  const exportNames = new Map();
  /** The standalone export for the schema at `pointer`, followed through `$ref`s. */
  function validatorFor(pointer) {
    const target = resolve(pointer).pointer;
    if (!exportNames.has(target)) exportNames.set(target, `v${exportNames.size}`);
    return exportNames.get(target);
  }

  /** Every oneOf/anyOf alternative reachable from `pointer`, by its JSON text (what verbose errors carry). */
  const alternatives = new Map();
  const walked = new Set();
  function collectAlternatives(pointer) {
    if (walked.has(pointer)) return;
    walked.add(pointer);
    const schema = at(pointer);
    if (!isObject(schema)) return;
    if (typeof schema.$ref === "string") collectAlternatives(schema.$ref.slice(1));
    for (const keyword of ["oneOf", "anyOf", "allOf", "prefixItems"]) {
      (schema[keyword] ?? []).forEach((branch, index) => {
        const branchPointer = `${pointer}/${keyword}/${index}`;
        if (keyword === "oneOf" || keyword === "anyOf") {
          alternatives.set(JSON.stringify(branch), validatorFor(branchPointer));
        }
        collectAlternatives(branchPointer);
      });
    }
    for (const keyword of SUBSCHEMAS) {
      if (typeof schema[keyword] === "object") collectAlternatives(`${pointer}/${keyword}`);
    }
    for (const keyword of SCHEMA_MAPS) {
      for (const name of Object.keys(schema[keyword] ?? {})) {
        collectAlternatives(`${pointer}/${keyword}/${escapePointer(name)}`);
      }
    }
  }

  function code() {
    const refs = Object.fromEntries(
      [...exportNames].map(([pointer, name]) => [name, `contract#${pointer}`]),
    );
    const source = standaloneCode.default(ajv, refs);
    // ajv writes `require(...)` for its own runtime helpers even in ESM output; none may slip through.
    const required = source.match(/require\([^)]*\)/g);
    if (required) {
      throw new Error(
        `The standalone validators need ${[...new Set(required)].join(", ")}: import it`,
      );
    }
    return `${HEADER}import { fullFormats as ajvFormats } from "ajv-formats/dist/formats.js";
${source}

/** A validator for each oneOf/anyOf alternative, by the alternative's schema as JSON. */
export const alternatives = new Map([
${[...alternatives].map(([json, name]) => `  [${JSON.stringify(json)}, ${name}],`).join("\n")}
]);
`;
  }
  return { validatorFor, collectAlternatives, code };
}

/** A header's schema in words, for "expected": its type and format, or its enum. */
function describeHeader(pointer) {
  const schema = at(resolve(pointer).pointer);
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.join(", ")}`;
  const type = [schema.type].flat().join(" or ");
  return schema.format ? `${type} (${schema.format})` : type;
}

const responses = validatorSet({ inlineRefs: false });
const table = [];
for (const operation of operations) {
  const statuses = [];
  for (const response of operation.responses) {
    if (!/^\d{3}$/.test(response.status)) {
      throw new Error(
        `${operation.operationId}: response validation knows numeric statuses, not "${response.status}"`,
      );
    }
    const headers = response.headers.map(
      (header) =>
        `[${JSON.stringify(header.name)}, ${header.required}, ${responses.validatorFor(header.schemaPointer)}, ${JSON.stringify(describeHeader(header.schemaPointer))}]`,
    );
    if (response.body) responses.collectAlternatives(resolve(response.body.schemaPointer).pointer);
    const body = response.body ? responses.validatorFor(response.body.schemaPointer) : "undefined";
    statuses.push(`    ${response.status}: { body: ${body}, headers: [${headers.join(", ")}] },`);
  }
  table.push(
    `  ${JSON.stringify(operation.operationId)}: {\n    method: ${JSON.stringify(operation.method.toUpperCase())},\n    path: ${JSON.stringify(operation.path)},\n    responses: {\n${statuses.map((line) => `  ${line}`).join("\n")}\n    },\n  },`,
  );
}
await writeFile(
  new URL("../src/response-validators.gen.ts", import.meta.url),
  `${responses.code()}
/** Each operation's documented statuses: the body's validator and each header [name, required, validator, expected]. */
export const operations = {
${table.join("\n")}
};
`,
);

// The webhooks' payloads, in a module of their own that only `verifyWebhook`'s `validate` loads.
// Their components inlined: a payload may require at its own level a field that an `allOf` part
// defines (a webhook's mailing list requires every field of MailingList), which strict ajv
// accepts only where it sees the part's properties.
const payloads = validatorSet({ inlineRefs: true });
const events = webhooks.map(({ eventName, schemaPointer }) => {
  payloads.collectAlternatives(resolve(schemaPointer).pointer);
  return `  ${JSON.stringify(eventName)}: ${payloads.validatorFor(schemaPointer)},`;
});
await writeFile(
  new URL("../src/webhook-validators.gen.ts", import.meta.url),
  `${payloads.code()}
/** Each webhook's payload validator, by its eventName. */
export const events = {
${events.join("\n")}
};
`,
);

const jsonHelpers = new URL(
  "src/json.ts",
  import.meta.resolve("@loops-contract/spec/package.json"),
);
const helpersSource = await readFile(jsonHelpers, "utf8");
// The copy must stand alone: anything it imported would be a dependency the client does not declare.
if (/^\s*(import\b|export\b.*\bfrom\b)/m.test(helpersSource)) {
  throw new Error(`${jsonHelpers.pathname} imports a module: the client copies it, so it must not`);
}
await writeFile(
  new URL("../src/json.gen.ts", import.meta.url),
  `// Copied from @loops-contract/spec's src/json.ts by scripts/validators.mjs on every build. Do not edit.\n${helpersSource}`,
);
