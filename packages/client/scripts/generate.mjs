// Generates from the bundled contract, on every build, so nothing here can drift from it:
//   src/schema.gen.ts              `paths`, `components`, `operations` (openapi-typescript)
//   src/resources.gen.ts           one method per operation, named by its `x-sdk-method`, typed and
//                                  documented from the contract, each one line over the shared core;
//                                  and the production server the client defaults to
//   test/contract-examples.gen.ts  every operation's named request and success examples, typed
//   test/methods.test-d.gen.ts     type tests for every generated method
//   test/webhooks.test-d.gen.ts    type tests for every webhook's event: its example, its narrowing
// The naming rule is the contract's `x-sdk-method` (namespace.method); a collision fails the build.
import { writeFile } from "node:fs/promises";
import { contract, contractYamlPath, deref, operations, webhooks } from "@loops-contract/spec";
import openapiTS, {
  astToString,
  COMMENT_HEADER,
  NEVER,
  QUESTION_TOKEN,
  STRING,
  transformSchemaObject,
  tsIntersection,
  tsPropertyIndex,
  tsUnion,
} from "openapi-typescript";
import ts from "typescript";

/** Names the client object itself uses next to the namespaces. */
const RESERVED_NAMESPACES = new Set(["call", "raw", "then"]);
const HEADER =
  "// Generated from the contract by scripts/generate.mjs on every build. Do not edit.\n\n";

const isBareString = (schema) =>
  schema?.type === "string" &&
  Object.keys(schema).every((key) => key === "type" || key === "description");
/** `string & {}` keeps a union open to values Loops adds later while editors still offer the known ones. */
const openString = tsIntersection([STRING, ts.factory.createTypeLiteralNode([])]);

/**
 * openapi-typescript ignores `minProperties`: an object schema that needs at least one of its
 * properties becomes `AtLeastOneField<...>`, so `{}` is a type error wherever the schema is used.
 */
function atLeastOneField(schema, options) {
  if (!(schema.minProperties >= 1 && schema.properties)) return undefined;
  const { minProperties: _handledHere, ...rest } = schema;
  return ts.factory.createTypeReferenceNode("AtLeastOneField", [
    transformSchemaObject(rest, options),
  ]);
}

/** `anyOf: [known names, {type: string}]` in the contract would collapse to a bare `string`. */
function openStringUnion(schema, options) {
  const branches = schema.anyOf;
  if (!Array.isArray(branches) || !branches.some(isBareString) || branches.every(isBareString)) {
    return undefined;
  }
  return tsUnion(
    branches.map((branch) =>
      isBareString(branch) ? openString : transformSchemaObject(branch, options),
    ),
  );
}

const widened = new WeakSet();
/**
 * An object with named properties and typed extra ones (a contact body's custom properties)
 * becomes openapi-typescript's intersection with an index signature, which every named property
 * must satisfy too: `mailingLists`, an object, would never compile. The index signature gets the
 * named properties' types beside the extra ones', so the named fields compile and an extra field
 * is still held to a type some field of the body has.
 */
function openBody(schema, options) {
  const extra = schema.additionalProperties;
  if (!schema.properties || typeof extra !== "object" || widened.has(schema)) return undefined;
  const widenedSchema = {
    ...schema,
    additionalProperties: { anyOf: [extra, ...Object.values(schema.properties)] },
  };
  widened.add(widenedSchema);
  return transformSchemaObject(widenedSchema, options);
}

/**
 * An object with named properties and alternatives (`anyOf`/`oneOf` of whole branches: a body that
 * needs one of two identifiers) must satisfy both; openapi-typescript would make the object one more
 * alternative, which lets any body through.
 */
function withAlternatives(schema, options) {
  const keyword = ["oneOf", "anyOf"].find((name) => Array.isArray(schema[name]));
  if (keyword === undefined || !schema.properties) return undefined;
  const { [keyword]: branches, ...own } = schema;
  return tsIntersection([
    transformSchemaObject(own, options),
    (keyword === "oneOf" && closedBranches(branches, options)) ||
      transformSchemaObject({ [keyword]: branches }, options),
  ]);
}

/**
 * `oneOf` closed objects (`additionalProperties: false`): a value matches a branch only without
 * the other branches' fields, so each branch forbids them (`?: never`), and `{ email, userId }`
 * is a type error where the contract takes exactly one.
 */
function closedBranches(branches, options) {
  const resolved = branches.map((branch) => deref(branch));
  if (!resolved.every((branch) => branch.additionalProperties === false && branch.properties)) {
    return undefined;
  }
  const fields = resolved.map((branch) => Object.keys(branch.properties));
  return tsUnion(
    branches.map((branch, index) => {
      const others = fields.flat().filter((name) => !fields[index].includes(name));
      const forbidden = [...new Set(others)].map((name) =>
        ts.factory.createPropertySignature(undefined, tsPropertyIndex(name), QUESTION_TOKEN, NEVER),
      );
      return tsIntersection([
        transformSchemaObject(branch, options),
        ts.factory.createTypeLiteralNode(forbidden),
      ]);
    }),
  );
}

/** openapi-typescript's context, kept from its first transform, to type schemas the same way later. */
let typingContext;

const ast = await openapiTS(new URL(`file://${contractYamlPath}`), {
  silent: true,
  transform: (schema, options) => {
    typingContext ??= options.ctx;
    return transformed(schema, options);
  },
});

function transformed(schema, options) {
  return (
    atLeastOneField(schema, options) ??
    openStringUnion(schema, options) ??
    withAlternatives(schema, options) ??
    openBody(schema, options)
  );
}
await writeFile(
  new URL("../src/schema.gen.ts", import.meta.url),
  `${COMMENT_HEADER}import type { AtLeastOneField } from "./operation-types.js";\n\n${astToString(ast)}`,
);

const methods = operations.map(describeMethod);
checkNames(methods);
const productionUrl = productionServerUrl();

await writeFile(
  new URL("../src/resources.gen.ts", import.meta.url),
  resourcesModule(methods, productionUrl),
);
await writeFile(
  new URL("../test/contract-examples.gen.ts", import.meta.url),
  examplesModule(methods),
);
await writeFile(new URL("../test/methods.test-d.gen.ts", import.meta.url), typeTestModule(methods));
await writeFile(
  new URL("../test/webhooks.test-d.gen.ts", import.meta.url),
  webhookTypeTestModule(),
);

function describeMethod(operation) {
  const where = `${operation.operationId} (${operation.method.toUpperCase()} ${operation.path})`;
  const successes = operation.responses.filter((response) => /^2\d\d$/.test(response.status));
  if (successes.length !== 1 || !successes[0].body) {
    throw new Error(`${where}: the client needs exactly one 2xx response, with a JSON body`);
  }
  const success = successes[0];
  const successType = isJsonObjectSchema(success.body.schema)
    ? "object"
    : deref(success.body.schema).type === "array"
      ? "array"
      : undefined;
  if (successType === undefined) {
    throw new Error(`${where}: the ${success.status} body must be a JSON object or array`);
  }
  const pathNames = [...operation.path.matchAll(/\{([^{}]+)\}/g)].map((match) => match[1]);
  const declared = operation.pathParameters.map((parameter) => parameter.name);
  if (pathNames.join() !== [...declared].sort(byIndexIn(pathNames)).join()) {
    throw new Error(`${where}: path parameters ${declared} do not match the path template`);
  }
  return {
    operation,
    where,
    success,
    successType,
    pathNames,
    body: operation.requestBody !== undefined,
    customProperties: customPropertyType(operation, where),
    query: operation.queryParameters.length > 0,
    queryRequired:
      operation.exactlyOneOf !== undefined ||
      operation.queryParameters.some((parameter) => parameter.required),
    paginated: isPaginated(operation, success, where),
  };
}

/**
 * The TypeScript type of a body's custom properties: the `additionalProperties` of a body that
 * also names its fields. The method takes them apart, as `properties`, so a name of the body's own
 * fields cannot be one.
 */
function customPropertyType(operation, where) {
  const schema = operation.requestBody && deref(operation.requestBody.schema);
  const extra = schema?.additionalProperties;
  if (!schema?.properties || typeof extra !== "object") return undefined;
  if ("properties" in schema.properties) {
    throw new Error(`${where}: a body with custom properties cannot name a field \`properties\``);
  }
  return astToString(transformSchemaObject(extra, { path: where, ctx: typingContext })).trim();
}

/** The first of the contract's `servers` not marked `x-internal`: the API itself, over HTTPS. */
function productionServerUrl() {
  const server = (contract.servers ?? []).find((candidate) => candidate["x-internal"] !== true);
  const url = server && new URL(server.url);
  if (url?.protocol !== "https:") {
    throw new Error("The contract needs a production server: an https URL not marked x-internal");
  }
  return url;
}

function byIndexIn(list) {
  return (a, b) => list.indexOf(a) - list.indexOf(b);
}

function isJsonObjectSchema(schema) {
  const node = deref(schema);
  if (node.type === "object") return true;
  const members = node.allOf ?? node.oneOf ?? node.anyOf;
  return Array.isArray(members) && members.every(isJsonObjectSchema);
}

/** A list: a `cursor` query parameter, and a success body with `data` and `pagination.nextCursor`. */
function isPaginated(operation, success, where) {
  if (!operation.queryParameters.some((parameter) => parameter.name === "cursor")) return false;
  const properties = deref(success.body.schema).properties ?? {};
  const pagination = properties.pagination && deref(properties.pagination);
  const data = properties.data && deref(properties.data);
  if (data?.type !== "array" || !pagination?.properties?.nextCursor) {
    throw new Error(
      `${where} takes a cursor but its body has no \`data\` array and \`pagination.nextCursor\``,
    );
  }
  return true;
}

function checkNames(list) {
  const seen = new Map();
  for (const method of list) {
    const { namespace, name } = method.operation.sdkMethod;
    const key = `${namespace}.${name}`;
    if (RESERVED_NAMESPACES.has(namespace)) {
      throw new Error(
        `${method.where}: x-sdk-method namespace "${namespace}" is taken by the client`,
      );
    }
    if (seen.has(key)) {
      throw new Error(
        `x-sdk-method ${key} is claimed by both ${seen.get(key)} and ${method.where}`,
      );
    }
    seen.set(key, method.where);
  }
}

function byNamespace(list) {
  const groups = new Map();
  for (const method of list) {
    const { namespace } = method.operation.sdkMethod;
    groups.set(namespace, [...(groups.get(namespace) ?? []), method]);
  }
  return groups;
}

function jsDoc(lines, indent) {
  const text = lines
    .join("\n")
    .replaceAll("*/", "*\\/")
    .trim()
    .split("\n")
    .map((line) => `${indent} *${line ? ` ${line}` : ""}`);
  return `${indent}/**\n${text.join("\n")}\n${indent} */\n`;
}

function signature(method) {
  const op = `operations[${JSON.stringify(method.operation.operationId)}]`;
  const parameters = method.pathNames.map((name) => `${name}: PathParameters<${op}>["${name}"]`);
  if (method.body) {
    const body = `RequestBody<${op}>`;
    parameters.push(
      `body: ${method.customProperties ? `WithCustomProperties<${body}, ${method.customProperties}>` : body}`,
    );
  }
  if (method.query) {
    const query = `QueryParameters<${op}>`;
    const group = method.operation.exactlyOneOf?.map((name) => JSON.stringify(name)).join(" | ");
    parameters.push(
      `query${method.queryRequired ? "" : "?"}: ${group ? `ExactlyOneOf<${query}, ${group}>` : query}`,
    );
  }
  parameters.push("options?: RequestOptions");
  const result = method.paginated
    ? `PagePromise<SuccessBody<${op}>, PageItem<${op}>>`
    : `Promise<SuccessBody<${op}>>`;
  return `(${parameters.join(", ")}): ${result}`;
}

/**
 * What the client does with a path parameter's value, next to the contract's words about it. Without
 * a \`pattern\`, the contract does not say which values the API calls invalid, so neither the client
 * nor the mock can tell a malformed ID from an unknown one.
 */
function pathParameterRule(parameter) {
  const sent =
    'The client refuses `""`, `.` and `..` (a `LoopsError`, before any request) and sends any other string percent-encoded.';
  if (deref(parameter.schema).pattern !== undefined) return sent;
  return `${sent} IDs have no documented format, so which values Loops calls invalid (\`400\`) rather than unknown (\`404\`) is its own rule; the mock answers \`404\` for any ID it does not hold.`;
}

function methodDoc(method) {
  const { operation } = method;
  const lines = [operation.summary, "", operation.description, ""];
  for (const parameter of operation.pathParameters) {
    lines.push(
      `@param ${parameter.name} ${parameter.description ?? ""} ${pathParameterRule(parameter)}`,
    );
  }
  if (method.body) {
    const custom = method.customProperties
      ? " Custom contact properties go in `properties`, spread into the body sent."
      : "";
    lines.push(`@param body ${operation.requestBody.description ?? ""}${custom}`.trimEnd());
  }
  if (method.query) {
    const names = operation.queryParameters.map((parameter) => `\`${parameter.name}\``).join(", ");
    const one = operation.exactlyOneOf
      ? `; exactly one of ${operation.exactlyOneOf.join(", ")}`
      : "";
    lines.push(`@param query ${names}${one}`);
  }
  const key = operation.idempotencyKey
    ? `, \`idempotencyKey\` (sent as \`${operation.idempotencyKey.header}\`, the same on every retry; made by the client if left out)`
    : "";
  lines.push(
    `@param options \`signal\`, \`timeoutMs\`, \`maxRetries\`, \`prefer\`${key} for this call`,
  );
  if (method.paginated) {
    lines.push(
      "@returns Awaited, the first page; iterated with `for await`, every item of every page.",
    );
  }
  lines.push(
    `@throws {LoopsError} on any failure; the \`${operation.method.toUpperCase()} ${operation.path}\` request is ${operation.idempotent ? "" : "not "}retried after a 5xx, timeout or dropped connection unless \`retryOnServerErrors\` says otherwise.`,
  );
  return jsDoc(lines, "    ");
}

function resourcesModule(list, productionUrl) {
  const groups = byNamespace(list);
  let types = "";
  let table = "";
  for (const [namespace, members] of groups) {
    types += `  ${namespace}: {\n`;
    table += `  ${namespace}: {\n`;
    for (const method of members) {
      const { operation } = method;
      types += `${methodDoc(method)}    ${operation.sdkMethod.name}${signature(method)};\n`;
      const descriptor = {
        operationId: operation.operationId,
        method: operation.method,
        path: operation.path,
        body: method.body,
        query: method.query,
        idempotent: operation.idempotent,
        paginated: method.paginated,
        success: method.successType,
        idempotencyKey: operation.idempotencyKey,
        customProperties: method.customProperties && true,
      };
      table += `    ${operation.sdkMethod.name}: ${JSON.stringify(descriptor)},\n`;
    }
    types += "  };\n";
    table += "  },\n";
  }
  return `${HEADER}import type { OperationDescriptor, RequestOptions } from "./core.js";
import type {
  ExactlyOneOf,
  PageItem,
  PathParameters,
  QueryParameters,
  RequestBody,
  SuccessBody,
  WithCustomProperties,
} from "./operation-types.js";
import type { PagePromise } from "./pagination.js";
import type { components, operations } from "./schema.gen.js";

/** One namespace per \`x-sdk-method\` namespace, one method per operation. */
export interface Resources {
${types}}

/** The contract's production server, where the client sends when \`baseUrl\` is left out. */
export const DEFAULT_BASE_URL = ${JSON.stringify(productionUrl.href.replace(/\/$/, ""))};
/** Its host, which \`refuseProduction\` refuses. */
export const PRODUCTION_HOSTNAME = ${JSON.stringify(productionUrl.hostname)};

/** What the shared core needs to send each method's operation. */
export const resources = {
${table}} satisfies Record<string, Record<string, OperationDescriptor>>;
`;
}

function examplesModule(list) {
  let body = "";
  for (const method of list) {
    const { operation, success } = method;
    const op = `operations[${JSON.stringify(operation.operationId)}]`;
    const named = (examples) =>
      JSON.stringify(
        Object.fromEntries(examples.map((example) => [example.name, example.value])),
        null,
        2,
      );
    body += `  ${JSON.stringify(operation.operationId)}: {\n`;
    if (method.body) {
      body += `    request: ${named(operation.requestBody.examples)} satisfies Record<string, RequestBody<${op}>>,\n`;
    }
    body += `    status: ${success.status},\n`;
    body += `    success: ${named(success.body.examples)} satisfies Record<string, SuccessBody<${op}>>,\n`;
    body += "  },\n";
  }
  return `${HEADER}import type { RequestBody, SuccessBody } from "../src/operation-types.js";
import type { operations } from "../src/schema.gen.js";

/** Every operation's named request and success examples. \`satisfies\` makes each a compile-time check. */
export const examples = {
${body}};
`;
}

/**
 * A body for the method from its first named example: as it is, or, for a body with custom
 * properties, its named fields with the rest under `properties`.
 */
function methodBody(method, exampleName) {
  const id = JSON.stringify(method.operation.operationId);
  const example = `examples[${id}].request[${JSON.stringify(exampleName)}]`;
  if (!method.customProperties) return example;
  const value = method.operation.requestBody.examples[0].value;
  const named = Object.keys(deref(method.operation.requestBody.schema).properties);
  const pick = (keep) =>
    Object.fromEntries(Object.entries(value).filter(([key]) => keep(named.includes(key))));
  return JSON.stringify({ ...pick((isNamed) => isNamed), properties: pick((isNamed) => !isNamed) });
}

/** `name: value` for a query parameter, its value the first example of its schema. */
function queryEntry(operation, name) {
  const parameter = operation.queryParameters.find((candidate) => candidate.name === name);
  const example = deref(parameter.schema).examples?.[0];
  if (example === undefined) {
    throw new Error(`${operation.operationId}: query parameter ${name} needs an example`);
  }
  return `${name}: ${JSON.stringify(example)}`;
}

/**
 * For every method: a valid call compiles and resolves to the success body; the same call with
 * one fault does not (a missing path parameter, a wrong body, an unknown query parameter).
 */
function typeTestModule(list) {
  let tests = "";
  for (const method of list) {
    const { operation } = method;
    const { namespace, name } = operation.sdkMethod;
    const id = JSON.stringify(operation.operationId);
    const call = `loops.${namespace}.${name}`;
    const path = method.pathNames.map(() => '"id_0123"');
    const exampleName = operation.requestBody?.examples[0]?.name;
    if (method.body && exampleName === undefined) {
      throw new Error(`${method.where}: its request body needs a named example for the type tests`);
    }
    const body = method.body ? methodBody(method, exampleName) : undefined;
    const group = operation.exactlyOneOf;
    const validQuery = method.query
      ? [group ? `{ ${queryEntry(operation, group[0])} }` : "{}"]
      : [];
    const args = (parts) => parts.join(", ");
    tests += `describe(${JSON.stringify(`${namespace}.${name}`)}, () => {\n`;
    {
      const valid = [...path, ...(body ? [body] : []), ...validQuery];
      tests += `  test("a valid call resolves to the success body", () => {
    expectTypeOf(${call}(${args(valid)})).resolves.toEqualTypeOf<SuccessBody<operations[${id}]>>();
  });\n`;
      for (const [index, parameter] of method.pathNames.entries()) {
        const missing = [...valid];
        missing[index] = "undefined";
        tests += `  test("without ${parameter}", () => {
    // @ts-expect-error a path parameter is required
    ${call}(${args(missing)});
    // @ts-expect-error a path parameter is required
    ${call}();
  });\n`;
      }
      if (method.body) {
        const at = path.length;
        const unknownField = [...valid];
        // An object of objects: no field of any body, named or a custom property, holds one.
        unknownField[at] = `{ ...${body}, fieldTheContractLacks: { nested: { deeper: true } } }`;
        const notObject = [...valid];
        notObject[at] = "42";
        tests += `  test("a wrong body", () => {
    // @ts-expect-error an unknown field
    ${call}(${args(unknownField)});
    // @ts-expect-error not an object
    ${call}(${args(notObject)});
  });\n`;
      }
      if (group) {
        const both = group.map((name) => queryEntry(operation, name)).join(", ");
        tests += `  test("exactly one of ${group.join(", ")}", () => {
    // @ts-expect-error more than one of the group
    ${call}(${args([...path, `{ ${both} }`])});
    // @ts-expect-error none of the group
    ${call}(${args([...path, "{}"])});
  });\n`;
      }
      const unknownQuery = [...path, ...(body ? [body] : []), "{ queryTheContractLacks: 1 }"];
      tests += `  test("an unknown query parameter", () => {
    // @ts-expect-error the contract declares no such query parameter
    ${call}(${args(unknownQuery)});
  });\n`;
    }
    if (method.paginated) {
      tests += `  test("iterates items of the page's data", async () => {
    for await (const item of ${call}(${args([...path, ...(body ? [body] : [])])})) {
      expectTypeOf(item).toEqualTypeOf<SuccessBody<operations[${id}]>["data"][number]>();
    }
  });\n`;
    }
    tests += "});\n\n";
  }
  return `${HEADER}import { describe, expectTypeOf, test } from "vitest";
import { createLoopsClient } from "../src/index.js";
import type { SuccessBody } from "../src/operation-types.js";
import type { operations } from "../src/schema.gen.js";
import { examples } from "./contract-examples.gen.js";

const loops = createLoopsClient({ apiKey: "test-key" });

${tests}`;
}

/**
 * Type tests for the webhooks' events: the names are the contract's; each example is its event
 * (`satisfies`: no field it lacks, none of the wrong type); `eventName` narrows the union to it.
 */
function webhookTypeTestModule() {
  const names = webhooks.map(({ eventName }) => JSON.stringify(eventName));
  let tests = `test("the events' names are the contract's", () => {
  expectTypeOf<WebhookEventName>().toEqualTypeOf<${names.join(" | ")}>();
});\n\n`;
  for (const [index, webhook] of webhooks.entries()) {
    const name = names[index];
    const other = names[(index + 1) % names.length];
    for (const [exampleName, value] of Object.entries(webhook.examples)) {
      tests += `test(${JSON.stringify(`${webhook.key}: ${exampleName}`)}, () => {
  const example = ${JSON.stringify(value)} satisfies WebhookEventOf<${name}>;
  const event: WebhookEvent = example;
  if (event.eventName === ${name}) expectTypeOf(event).toEqualTypeOf<WebhookEventOf<${name}>>();
  // @ts-expect-error another event's name
  const renamed: WebhookEventOf<${name}> = { ...example, eventName: ${other} };
  expectTypeOf(renamed).not.toBeAny();
});\n\n`;
    }
  }
  return `${HEADER}import { expectTypeOf, test } from "vitest";
import type { WebhookEvent, WebhookEventName, WebhookEventOf } from "../src/webhooks.js";

${tests}`;
}
