import {
  contract,
  type DocumentedResponse,
  type JsonObject,
  type Operation,
  operations,
  operationsMatching,
  resolve,
} from "@loops-contract/spec";

/** Where the sandbox's own controls live: outside every path the contract could have. */
export const controlPrefix = "/_sandbox/";

/** What a request line leads to, from a document's paths and methods alone. */
export type Route =
  | { kind: "operation"; operation: Operation; pathParameters: Record<string, string> }
  | { kind: "wrongMethod"; operations: Operation[] }
  | { kind: "noPath" };

export type OperationRoute = Extract<Route, { kind: "operation" }>;

function literalSegments(operation: Operation): number {
  return operation.path.split("/").filter((segment) => !segment.startsWith("{")).length;
}

export function route(within: readonly Operation[], method: string, pathname: string): Route {
  const matches = operationsMatching(pathname, within);
  if (matches.length === 0) return { kind: "noPath" };
  // Where templates overlap (`/groups/{id}` and `/groups/list`), the more literal one wins.
  const forMethod = matches
    .filter((match) => match.operation.method === method)
    .sort((a, b) => literalSegments(b.operation) - literalSegments(a.operation));
  const chosen = forMethod[0];
  if (chosen) return { kind: "operation", ...chosen };
  return { kind: "wrongMethod", operations: matches.map((match) => match.operation) };
}

/** The operation whose documented answers a route's answer is: the first at its path. */
export function documentedBy(target: Route): Operation | undefined {
  if (target.kind === "operation") return target.operation;
  return target.kind === "wrongMethod" ? target.operations[0] : undefined;
}

/** The `Allow` header for a path: the methods the document gives it, in its order. */
export function allowFor(within: readonly Operation[], pathname: string): string {
  const methods = operationsMatching(pathname, within).map((match) => match.operation.method);
  return [...new Set(methods.map((method) => method.toUpperCase()))].join(", ");
}

export function responseFor(operation: Operation, status: number): DocumentedResponse | undefined {
  return operation.responses.find((response) => response.status === String(status));
}

/** The paths of the contract's server URLs (`/api`), under which its operations are also served. */
const basePaths: string[] = (Array.isArray(contract.servers) ? contract.servers : [])
  .map((server) => {
    try {
      return new URL(String((server as JsonObject).url)).pathname.replace(/\/$/, "");
    } catch {
      return "";
    }
  })
  .filter((path) => path !== "")
  .sort((a, b) => b.length - a.length);

/** The request path as the contract writes it: without a server URL's base path. */
export function contractPathOf(pathname: string): string {
  for (const base of basePaths) {
    if (pathname.startsWith(`${base}/`)) return pathname.slice(base.length);
  }
  return pathname;
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

/** Whether the mock has anything at a path: an operation of the contract, or a control. */
export function servesPath(pathname: string): boolean {
  const path = contractPathOf(pathname);
  return path.startsWith(controlPrefix) || operationsMatching(path).length > 0;
}
