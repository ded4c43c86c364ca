import {
  contract,
  describeErrors,
  type JsonObject,
  type Operation,
  operations,
  sandboxModel,
  validatorAt,
} from "@loops-contract/spec";
import { expect } from "vitest";
import type { MockFetch } from "../../dist/index.js";

/** The production server: the sandbox answers under any of the contract's server URLs. */
export const productionUrl = String((contract.servers as JsonObject[])[0]?.url);

export interface Exchange {
  status: number;
  headers: Headers;
  body: JsonObject;
  text: string;
}

let keys = 0;
/** A key no other test uses: every test gets a team of its own. */
export function freshKey(): string {
  keys += 1;
  return `sandbox-test-${process.pid}-${keys}-${Math.random().toString(36).slice(2)}`;
}

/** The operation the contract declares for a resource and action, found by declaration alone. */
export function operationFor(resource: string, action: string): Operation {
  const found = operations.find(
    (operation) => operation.sandbox?.resource === resource && operation.sandbox.action === action,
  );
  if (found === undefined) throw new Error(`No ${action} operation for ${resource}`);
  return found;
}

export function pathOf(operation: Operation, id?: string, query?: Record<string, string>): string {
  const path = operation.path.replace(/\{[^}]+\}/, encodeURIComponent(id ?? ""));
  const search = new URLSearchParams(query ?? {});
  return search.size > 0 ? `${path}?${search}` : path;
}

/** Calls the mock as a client would, and checks the answer is one the operation documents. */
export async function call(
  mockFetch: MockFetch,
  key: string,
  operation: Operation,
  options: {
    id?: string;
    body?: unknown;
    query?: Record<string, string>;
    headers?: Record<string, string>;
  } = {},
): Promise<Exchange> {
  const response = await mockFetch(
    `${productionUrl}${pathOf(operation, options.id, options.query)}`,
    {
      method: operation.method.toUpperCase(),
      headers: {
        authorization: `Bearer ${key}`,
        ...(options.body === undefined ? {} : { "content-type": "application/json" }),
        ...options.headers,
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    },
  );
  const text = await response.text();
  const exchange = {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : {}) as JsonObject,
    text,
  };
  const documented = operation.responses.find((r) => r.status === String(response.status));
  expect(documented, `${operation.operationId} answered ${response.status}: ${text}`).toBeDefined();
  if (documented?.body) {
    const validate = validatorAt(documented.body.schemaPointer);
    expect(
      validate(exchange.body),
      `${operation.operationId}: ${describeErrors(validate.errors)}`,
    ).toBe(true);
  }
  return exchange;
}

/** The body of a named example a refusal carries, from the contract. */
export function exampleBody(operation: Operation, status: number, name: string): unknown {
  const response = operation.responses.find((r) => r.status === String(status));
  return response?.body?.examples.find((example) => example.name === name)?.value;
}

export const model = (() => {
  if (sandboxModel === undefined) throw new Error("The contract has no x-sandbox-model");
  return sandboxModel;
})();

/** The ids of the records a list operation's first 200 example holds: the seed's, in order. */
export function seededIds(resource: string): string[] {
  const list = operationFor(resource, "list");
  const success = list.responses.find((response) => response.status === "200");
  const value = success?.body?.examples[0]?.value;
  return (Array.isArray(value) ? value : []).map((record) => String((record as JsonObject).id));
}

export const [seededListId = "", otherSeededListId = ""] = seededIds("mailingList");

/** A transactional send's body, as the contract's examples write it. */
export interface SendBody {
  transactionalId: string;
  email: string;
  dataVariables: Record<string, unknown>;
  attachments?: Array<{ filename: string; contentType: string; data: string }>;
}

/** The send's request example that carries an attachment. */
export function exampleWithAttachment(send: Operation | undefined): Required<SendBody> {
  const bodies = (send?.requestBody?.examples ?? []).map((example) => example.value as SendBody);
  const found = bodies.find((body) => body.attachments !== undefined);
  if (found === undefined) throw new Error("No send example carries an attachment");
  return found as Required<SendBody>;
}
