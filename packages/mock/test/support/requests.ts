import { type JsonObject, type Operation, resolve, validatorAt } from "@loops-contract/spec";
import { expect } from "vitest";

export const auth = { authorization: "Bearer test-key" } as const;
export const json = { ...auth, "content-type": "application/json" } as const;

function exampleValue(schemaPointer: string): string | undefined {
  const examples = (resolve(schemaPointer).node as JsonObject).examples;
  return Array.isArray(examples) && examples.length > 0 ? String(examples[0]) : undefined;
}

/** The operation's path with each parameter set to its schema's example (or a stand-in). */
export function concretePath(operation: Operation): string {
  let path = operation.path;
  for (const parameter of operation.pathParameters) {
    const value = exampleValue(parameter.schemaPointer) ?? `test-${parameter.name}`;
    path = path.replace(`{${parameter.name}}`, encodeURIComponent(value));
  }
  const query = new URLSearchParams();
  for (const parameter of operation.queryParameters) {
    const value = exampleValue(parameter.schemaPointer);
    if (parameter.required) query.set(parameter.name, value ?? "1");
  }
  for (const [name, value] of Object.entries(oneOfGroup(operation))) query.set(name, value);
  return query.size > 0 ? `${path}?${query}` : path;
}

/**
 * The query an operation with an `x-exactly-one-of` group needs: the group's first parameter, set
 * to its schema's example (or a stand-in); `{}` for any other operation.
 */
export function oneOfGroup(operation: Operation): Record<string, string> {
  const name = operation.exactlyOneOf?.[0];
  const parameter = operation.queryParameters.find((candidate) => candidate.name === name);
  if (parameter === undefined) return {};
  return { [parameter.name]: exampleValue(parameter.schemaPointer) ?? "1" };
}

/** A body the operation accepts: its first named example, or nothing if it takes no body. */
export function validBody(operation: Operation): string | undefined {
  const example = operation.requestBody?.examples[0];
  return example === undefined ? undefined : JSON.stringify(example.value);
}

export interface Observed {
  status: number;
  headers: Headers;
  text: string;
}

export async function send(
  base: string,
  operation: Operation,
  init: { method?: string; headers?: Record<string, string>; body?: string | undefined } = {},
): Promise<Observed> {
  const response = await fetch(`${base}${concretePath(operation)}`, {
    method: init.method ?? operation.method.toUpperCase(),
    headers: init.headers ?? json,
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** Asserts the answer is one the operation documents: status, required headers, body schema. */
export function expectDocumented(operation: Operation, observed: Observed, context: string): void {
  const where = `${operation.operationId} ${context}: ${observed.status} ${observed.text}`;
  const response = operation.responses.find((r) => r.status === String(observed.status));
  expect(response, where).toBeDefined();
  if (response === undefined) return;
  for (const header of response.headers) {
    const value = observed.headers.get(header.name);
    if (header.required) expect(value, `${where} header ${header.name}`).not.toBeNull();
    if (value === null) continue;
    const validate = validatorAt(header.schemaPointer);
    const typed = header.schema.type === "integer" ? Number(value) : value;
    expect(validate(typed), `${where} header ${header.name}=${value}`).toBe(true);
  }
  if (response.body === undefined) {
    expect(observed.text, where).toBe("");
    return;
  }
  const validate = validatorAt(response.body.schemaPointer);
  const body: unknown = JSON.parse(observed.text);
  expect(validate(body), `${where} ${JSON.stringify(validate.errors)}`).toBe(true);
}
