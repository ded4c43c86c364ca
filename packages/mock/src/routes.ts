import {
  type DocumentedResponse,
  type JsonObject,
  type Operation,
  operations,
  operationsMatching,
  resolve,
} from "@loops-contract/spec";

/** What a request line leads to, from the contract's paths and methods alone. */
export type Route =
  | { kind: "operation"; operation: Operation; pathParameters: Record<string, string> }
  | { kind: "wrongMethod"; allow: string; operations: Operation[] }
  | { kind: "noPath" };

function literalSegments(operation: Operation): number {
  return operation.path.split("/").filter((segment) => !segment.startsWith("{")).length;
}

export function route(method: string, pathname: string): Route {
  const matches = operationsMatching(pathname);
  if (matches.length === 0) return { kind: "noPath" };
  // Where templates overlap (`/groups/{id}` and `/groups/list`), the more literal one wins.
  const forMethod = matches
    .filter((match) => match.operation.method === method)
    .sort((a, b) => literalSegments(b.operation) - literalSegments(a.operation));
  const chosen = forMethod[0];
  if (chosen) return { kind: "operation", ...chosen };
  return {
    kind: "wrongMethod",
    allow: allowOf(matches.map((match) => match.operation)),
    operations: matches.map((match) => match.operation),
  };
}

/** The `Allow` header for a path: the methods the contract gives it, in the bundle's order. */
export function allowFor(pathname: string): string {
  return allowOf(operationsMatching(pathname).map((match) => match.operation));
}

function allowOf(matching: Operation[]): string {
  return [...new Set(matching.map((operation) => operation.method.toUpperCase()))].join(", ");
}

export function responseFor(operation: Operation, status: number): DocumentedResponse | undefined {
  return operation.responses.find((response) => response.status === String(status));
}

/** A header's documented value: its schema's first example. */
function exampleOf(schemaPointer: string): string | undefined {
  const { node } = resolve(schemaPointer);
  const examples = (node as JsonObject).examples;
  return Array.isArray(examples) && examples.length > 0 ? String(examples[0]) : undefined;
}

/** Every documented response header's example value, by lower-case name (first one wins). */
export const headerExamples: ReadonlyMap<string, string> = (() => {
  const values = new Map<string, string>();
  for (const operation of operations) {
    for (const response of operation.responses) {
      for (const header of response.headers) {
        const name = header.name.toLowerCase();
        const example = exampleOf(header.schemaPointer);
        if (!values.has(name) && example !== undefined) values.set(name, example);
      }
    }
  }
  return values;
})();
