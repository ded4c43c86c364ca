// The journal: every request the mock answers, per API key (requests without one under `null`),
// newest first, bounded in bytes per key. The engine's answer listener writes it.
import type { Answer, AnsweredBy, RequestContext } from "./context.js";
import type { ControlId, OperationId } from "./operation-ids.gen.js";
import {
  type Instant,
  KeyedRecords,
  oneOf,
  type RecordBudget,
  type RecordKey,
  timeRange,
} from "./recorded.js";
import { withoutData } from "./sizes.js";

export interface JournalEntry {
  /** Numbers every entry of the mock's journal, in the order written. */
  seq: number;
  /** When the mock answered, on the key's clock (ISO 8601). */
  at: string;
  method: string;
  /** The path and query as sent. */
  path: string;
  /** The contract's operation, or the mock's control, the request was routed to; `null`: neither. */
  operationId: OperationId | ControlId | null;
  status: number;
  /** Which step answered: a check's name, `control`, `sandbox`, `prism`, or `failure` (a 500). */
  answeredBy: AnsweredBy;
  /** The request body: JSON as sent (attachment data as sizes), else its text; absent if empty. */
  body?: unknown;
  /** The size of the request body as read, in bytes. */
  bodyBytes: number;
  /** Set when the body was left out for being over half the key's journal budget. */
  bodyOmitted?: true;
}

export interface JournalFilter {
  /** One operation or control id (or `null`: requests routed to neither), or several. */
  operation?:
    | OperationId
    | ControlId
    | null
    | ReadonlyArray<OperationId | ControlId | null>
    | undefined;
  /** A status (`404`) or a class of them (`"4xx"`). */
  status?: number | `${1 | 2 | 3 | 4 | 5}xx` | undefined;
  /** On the key's clock, inclusive. */
  since?: Instant | undefined;
  until?: Instant | undefined;
}

interface JournalMeta {
  operationId: string | null;
  status: number;
  at: number;
}

const utf8 = new TextDecoder();

/** The body as the journal keeps it: validated JSON, else JSON or text as sent. */
function bodyOf(context: RequestContext): unknown {
  if (context.read.bytes.byteLength === 0) return undefined;
  const operation = context.route.kind === "operation" ? context.route.operation : undefined;
  if (context.body !== undefined) return withoutData(operation, context.body);
  const text = utf8.decode(context.read.bytes);
  try {
    return withoutData(operation, JSON.parse(text));
  } catch {
    return text;
  }
}

function statusTest(status: JournalFilter["status"]) {
  if (typeof status === "string")
    return (actual: number) => `${Math.floor(actual / 100)}xx` === status;
  return oneOf(status);
}

export class Journal {
  readonly records: KeyedRecords<JournalMeta, JournalEntry>;

  constructor(budget: RecordBudget) {
    this.records = new KeyedRecords(budget);
  }

  /** Writes one request and its answer, at `at` on the key's clock. */
  write(context: RequestContext, answer: Answer, answeredBy: AnsweredBy, at: number): void {
    const route = context.route;
    const operationId = route.kind === "operation" ? route.operation.operationId : null;
    const entry: Omit<JournalEntry, "seq"> = {
      at: new Date(at).toISOString(),
      method: context.request.method,
      path: `${context.url.pathname}${context.url.search}`,
      operationId: operationId as JournalEntry["operationId"],
      status: answer.status,
      answeredBy,
      body: bodyOf(context),
      bodyBytes: context.read.bytes.byteLength,
    };
    const meta = { operationId, status: answer.status, at };
    this.records.add(
      context.apiKey ?? null,
      meta,
      () => entry,
      () => {
        const { body: _, ...rest } = entry;
        return { ...rest, bodyOmitted: true };
      },
    );
  }

  /** The key's entries that pass the filter, newest first. */
  read(key: RecordKey, filter: JournalFilter = {}): JournalEntry[] {
    const operation = oneOf<string | null>(filter.operation);
    const status = statusTest(filter.status);
    const time = timeRange(filter);
    return this.records.list(
      key,
      (meta) => operation(meta.operationId) && status(meta.status) && time(meta.at),
    );
  }
}
