import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type Operation, operationsMatching } from "@loops-contract/spec";

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface ContractServer {
  url: string;
  /** Every request received, as `METHOD /path`. */
  received: string[];
  /** The Authorization header of every request. */
  authorizations: string[];
  close(): Promise<void>;
}

/**
 * A local server that answers every GET of the contract with its first success example and the
 * documented headers' example values, which `change` may alter per operation to plant drift.
 */
export async function startContractServer(
  change: (operation: Operation, reply: Reply) => Reply = (_, reply) => reply,
): Promise<ContractServer> {
  const received: string[] = [];
  const authorizations: string[] = [];
  const server = createServer((request, response) => {
    received.push(`${request.method} ${request.url}`);
    authorizations.push(String(request.headers.authorization));
    const pathname = new URL(String(request.url), "http://127.0.0.1").pathname;
    const operation = operationsMatching(pathname).find(
      (match) => match.operation.method === request.method?.toLowerCase(),
    )?.operation;
    if (!operation) {
      response.writeHead(404, { "content-type": "application/json" });
      response.end(JSON.stringify({ message: "Not found" }));
      return;
    }
    const success = operation.responses.find((documented) => documented.status.startsWith("2"));
    const headers: Record<string, string> = {};
    for (const header of success?.headers ?? []) {
      headers[header.name] = String((header.schema.examples as unknown[] | undefined)?.[0]);
    }
    const reply = change(operation, {
      status: Number(success?.status ?? 200),
      headers,
      body: structuredClone(success?.body?.examples[0]?.value),
    });
    response.writeHead(reply.status, { ...reply.headers, "content-type": "application/json" });
    response.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    authorizations,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
