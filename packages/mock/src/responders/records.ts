// The journal and the outbox over HTTP (openapi/sandbox.yaml), for the key the request
// authenticates with. They need no sandbox: a stateless mock keeps a journal too. The query
// parameters have been validated against the document before a handler reads them.

import { messageReply, type Reply, type RequestContext, type Responder } from "../context.js";
import type { Journal, JournalFilter } from "../journal.js";
import { defaultWaitTimeout, type Outbox, type OutboxFilter } from "../outbox.js";

type RecordsHandler = (key: string, query: URLSearchParams) => unknown;

/** The controls this responder answers, by operationId. */
export const recordControls: readonly string[] = ["journal", "outbox", "waitForOutbox"];

function optionalNumber(value: string | null): number | undefined {
  return value === null ? undefined : Number(value);
}

/** A repeatable parameter's values, or `undefined` when it is not given. */
function listed(query: URLSearchParams, name: string): string[] | undefined {
  const values = query.getAll(name);
  return values.length > 0 ? values : undefined;
}

function outboxFilterOf(query: URLSearchParams): OutboxFilter {
  return {
    kind: listed(query, "kind") as OutboxFilter["kind"],
    operation: listed(query, "operation") as OutboxFilter["operation"],
    to: query.get("to") ?? undefined,
    since: query.get("since") ?? undefined,
    until: query.get("until") ?? undefined,
    after: optionalNumber(query.get("after")),
  };
}

function journalFilterOf(query: URLSearchParams): JournalFilter {
  const status = query.get("status");
  return {
    operation: listed(query, "operation") as JournalFilter["operation"],
    status: (status === null
      ? undefined
      : status.endsWith("xx")
        ? status
        : Number(status)) as JournalFilter["status"],
    since: query.get("since") ?? undefined,
    until: query.get("until") ?? undefined,
  };
}

export function recordsResponder(journal: Journal | undefined, outbox: Outbox): Responder {
  const handlers: Record<string, RecordsHandler> = {
    outbox: (key, query) => outbox.read(key, outboxFilterOf(query)),
    waitForOutbox: (key, query) =>
      outbox.next(
        key,
        outboxFilterOf(query),
        optionalNumber(query.get("timeout")) ?? defaultWaitTimeout,
      ),
  };
  if (journal !== undefined) {
    handlers.journal = (key, query) => journal.read(key, journalFilterOf(query));
  }
  return {
    name: "control",
    takes: (context, { operation }) =>
      context.document.kind === "controls" && recordControls.includes(operation.operationId),
    async answer(context: RequestContext, { operation }): Promise<Reply> {
      const handler = handlers[operation.operationId];
      if (handler === undefined) {
        return messageReply(
          context,
          404,
          "This mock keeps no journal: it was started with journal: false.",
        );
      }
      return { status: 200, body: await handler(context.apiKey ?? "", context.url.searchParams) };
    },
  };
}
