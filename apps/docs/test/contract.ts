// The bundled contract, read through the spec module, the way the docs show it: what a reader must
// find on the page for each operation.
import { type Operation, resolve, type Webhook } from "@loops-contract/spec";
import { escapePointer, isObject } from "@loops-contract/spec/json";

export { operations, webhooks } from "@loops-contract/spec";

/** Every property name the schema at `pointer` can hold, through references, compositions and array items. */
export function fieldNames(pointer: string, seen = new Set<string>()): Set<string> {
  const names = new Set<string>();
  const { pointer: here, node } = resolve(pointer);
  if (seen.has(here)) return names;
  seen.add(here);
  const add = (more: Iterable<string>) => {
    for (const name of more) names.add(name);
  };
  if (isObject(node.properties)) {
    for (const name of Object.keys(node.properties)) {
      names.add(name);
      add(fieldNames(`${here}/properties/${escapePointer(name)}`, seen));
    }
  }
  for (const keyword of ["oneOf", "anyOf", "allOf"]) {
    const branches = node[keyword];
    if (Array.isArray(branches)) {
      branches.forEach((_, index) => {
        add(fieldNames(`${here}/${keyword}/${index}`, seen));
      });
    }
  }
  if (isObject(node.items)) add(fieldNames(`${here}/items`, seen));
  // Redoc shows a map's values under this label.
  if (isObject(node.additionalProperties)) {
    names.add("property name*");
    add(fieldNames(`${here}/additionalProperties`, seen));
  }
  return names;
}

/** Per response status: its header names and its body's field names. */
export function responseFields(operation: Operation): Map<string, Set<string>> {
  return new Map(
    operation.responses.map((response) => {
      const names = new Set(response.headers.map((header) => header.name));
      if (response.body)
        for (const name of fieldNames(response.body.schemaPointer)) names.add(name);
      return [response.status, names];
    }),
  );
}

/** The names of the operation's header parameters (`Idempotency-Key`), which Redoc lists too. */
function headerParameters(operation: Operation): string[] {
  const parameters = resolve(operation.pointer).node.parameters;
  if (!Array.isArray(parameters)) return [];
  return parameters
    .map((_, index) => resolve(`${operation.pointer}/parameters/${index}`).node)
    .filter((parameter) => parameter.in === "header")
    .map((parameter) => String(parameter.name));
}

/** What the request section lists: path, query and header parameters, then the body's fields. */
export function requestFields(operation: Operation): Set<string> {
  return new Set([
    ...operation.pathParameters.map((parameter) => parameter.name),
    ...operation.queryParameters.map((parameter) => parameter.name),
    ...headerParameters(operation),
    ...(operation.requestBody ? fieldNames(operation.requestBody.schemaPointer) : []),
  ]);
}

/** What a webhook's request section lists: its headers, then its payload's fields. */
export function webhookFields(webhook: Webhook): Set<string> {
  return new Set([...webhook.headers, ...fieldNames(webhook.schemaPointer)]);
}

export interface CodeSample {
  lang: string;
  label: string;
  source: string;
}

/** The samples the spec build attached to the operation (`x-codeSamples`). */
export function codeSamples(operation: Operation): CodeSample[] {
  const samples = resolve(operation.pointer).node["x-codeSamples"];
  return Array.isArray(samples) ? (samples as CodeSample[]) : [];
}

/** Markdown as the page shows it in text: no emphasis or code markers, one space between words. */
export function paragraphs(markdown: string): string[] {
  return markdown
    .split(/\n\s*\n/)
    .map((paragraph) => plainText(paragraph.replace(/[*`]/g, "")))
    .filter((paragraph) => paragraph.length > 0);
}

function plainText(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
