// The outbox: every message the sandbox sent, per API key, newest first, bounded in bytes. What
// makes an entry is the contract's `x-sandbox.outbox` (spec/SANDBOX.md), never a name here; other
// senders (webhook deliveries, a campaign's recipients) add entries of their own kind with `add`.
import { isObject, type JsonObject } from "@loops-contract/spec/json";
import { type Expected, meets, nearMisses } from "./match.js";
import type { OperationId, OutboxKind } from "./operation-ids.gen.js";
import {
  type Instant,
  KeyedRecords,
  oneOf,
  type RecordBudget,
  type RecordKey,
  timeRange,
} from "./recorded.js";
import type { SentMessage } from "./sandbox.js";
import { withoutData } from "./sizes.js";

/** An outbox entry as a sender adds it, before the outbox numbers it. */
export interface SentEntry {
  /** What was sent, as the contract declares it (`x-sandbox.outbox.kind`). */
  kind: OutboxKind | (string & {});
  /** The operation whose request sent it; `null` for what the sandbox sent on its own. */
  operationId: OperationId | null;
  /** When it was sent, on the key's clock (ISO 8601). */
  at: string;
  /** The recipients. */
  to: string[];
  /** The fields the declaration keeps: the request's (attachments by size), the record's. */
  [field: string]: unknown;
}

export interface OutboxEntry extends SentEntry {
  /** Numbers every entry of the mock's outbox, in the order written. */
  seq: number;
}

export interface OutboxFilter {
  kind?: OutboxEntry["kind"] | ReadonlyArray<OutboxEntry["kind"]> | undefined;
  operation?: OperationId | ReadonlyArray<OperationId> | undefined;
  /** Entries sent to this address (among others). */
  to?: string | undefined;
  /** On the key's clock, inclusive. */
  since?: Instant | undefined;
  until?: Instant | undefined;
  /** Entries after this `seq` only. */
  after?: number | undefined;
}

/** An entry's expected fields (`{ kind: "transactional", to: "ada@example.com" }`), or a test. */
export type OutboxMatch = Expected<OutboxEntry> | ((entry: OutboxEntry) => boolean);

export interface WaitForOptions {
  /** Milliseconds before the promise rejects; default `defaultWaitTimeout`. */
  timeout?: number | undefined;
}

/** How long `waitFor` waits by default: under vitest's 5 s test timeout, so its message shows. */
export const defaultWaitTimeout = 2_000;

interface OutboxMeta {
  kind: string;
  operationId: string | null;
  to: string[];
  at: number;
}

/** What the filters read of an entry without parsing it. */
function metaOf(entry: SentEntry): OutboxMeta {
  return {
    kind: entry.kind,
    operationId: entry.operationId,
    to: entry.to,
    at: Date.parse(entry.at),
  };
}

/** The fields of `source` named in `fields`, those it has. */
function picked(source: unknown, fields: readonly string[] | undefined): JsonObject {
  const kept: JsonObject = {};
  if (!isObject(source)) return kept;
  for (const field of fields ?? []) if (source[field] !== undefined) kept[field] = source[field];
  return kept;
}

/** The error `waitFor` rejects with: what it waited for, and what the outbox holds. */
export class WaitForTimeout extends Error {
  override name = "WaitForTimeout";
}

/** The message of a wait that found nothing: the closest entries, each with how it differs. */
export function timeoutMessage(match: OutboxMatch, timeout: number, held: OutboxEntry[]): string {
  const wanted = typeof match === "function" ? "the test given" : JSON.stringify(match);
  const head = `No outbox entry matched ${wanted} within ${timeout} ms; the key's outbox holds ${held.length}.`;
  if (typeof match === "function") {
    return [head, ...held.slice(0, 3).map((entry) => `  ${JSON.stringify(entry)}`)].join("\n");
  }
  const closest = nearMisses(match, held).map(
    ({ entry, differences }) =>
      `  ${entry.kind} #${entry.seq} to ${entry.to.join(", ")}:\n${differences.map((line) => `    ${line}`).join("\n")}`,
  );
  return [head, ...(closest.length > 0 ? ["Closest:", ...closest] : [])].join("\n");
}

export class Outbox {
  readonly records: KeyedRecords<OutboxMeta, OutboxEntry>;
  /** Ends every wait still pending: the mock stopped. */
  readonly #pending = new Set<() => void>();

  constructor(budget: RecordBudget) {
    this.records = new KeyedRecords(budget);
  }

  /** What a request sent, as its operation's `x-sandbox.outbox` declares. */
  sent(key: string, { operation, body, record, at }: SentMessage): void {
    const declared = operation.sandbox?.outbox;
    if (declared === undefined) return;
    const recipients = body[declared.to];
    const to = (Array.isArray(recipients) ? recipients : [recipients]).map(String);
    this.add(key, {
      kind: declared.kind,
      operationId: operation.operationId as OperationId,
      at: new Date(at).toISOString(),
      to,
      ...picked(withoutData(operation, body), declared.fields),
      ...picked(record, declared.recordFields),
      ...(declared.record === undefined ? {} : { [declared.record]: record }),
    });
  }

  /** Adds an entry from any sender (the sandbox's requests, its webhooks, its campaigns). */
  add(key: string, entry: SentEntry): void {
    this.records.add(key, metaOf(entry), () => entry);
  }

  /** The key's entries that pass the filter, newest first. */
  read(key: RecordKey, filter: OutboxFilter = {}): OutboxEntry[] {
    return this.records.list(key, this.#test(filter));
  }

  #test(filter: OutboxFilter): (meta: OutboxMeta, seq: number) => boolean {
    const kind = oneOf<string>(filter.kind);
    const operation = oneOf<string | null>(filter.operation);
    const time = timeRange(filter);
    const after = filter.after ?? 0;
    return (meta, seq) =>
      seq > after &&
      kind(meta.kind) &&
      operation(meta.operationId) &&
      (filter.to === undefined || meta.to.includes(filter.to)) &&
      time(meta.at);
  }

  /** Resolves on the first entry that meets `match`, already there (oldest first) or to come. */
  waitFor(key: string, match: OutboxMatch, options: WaitForOptions = {}): Promise<OutboxEntry> {
    const timeout = options.timeout ?? defaultWaitTimeout;
    const held = this.read(key)
      .reverse()
      .find((entry) => meets(match, entry));
    if (held !== undefined) return Promise.resolve(held);
    return this.#wait(
      key,
      timeout,
      (entry) => meets(match, entry),
      () => {
        throw new WaitForTimeout(timeoutMessage(match, timeout, this.read(key)));
      },
    );
  }

  /**
   * The key's entries that pass the filter (with `after`, newer than that `seq`), newest first,
   * once there is at least one; `[]` if none came within `timeout`: the HTTP long-poll.
   */
  async next(key: string, filter: OutboxFilter, timeout: number): Promise<OutboxEntry[]> {
    const held = this.read(key, filter);
    if (held.length > 0) return held;
    const test = this.#test(filter);
    await this.#wait(
      key,
      timeout,
      (entry) => test(metaOf(entry), entry.seq),
      () => undefined,
    );
    return this.read(key, filter);
  }

  /** Ends every pending wait, as if its time were up. */
  close(): void {
    for (const end of [...this.#pending]) end();
  }

  /** Waits for an entry of the key that passes `test`; at `timeout`, settles with `expire`. */
  #wait<Expired>(
    key: string,
    timeout: number,
    test: (entry: OutboxEntry) => boolean,
    expire: () => Expired,
  ): Promise<OutboxEntry | Expired> {
    return new Promise((resolve, reject) => {
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        unsubscribe();
        this.#pending.delete(end);
        settle();
      };
      const end = () =>
        finish(() => {
          try {
            resolve(expire());
          } catch (error) {
            reject(error);
          }
        });
      const unsubscribe = this.records.subscribe(key, (event) => {
        if (event.type === "added" && test(event.entry)) finish(() => resolve(event.entry));
      });
      const timer = setTimeout(end, timeout);
      this.#pending.add(end);
    });
  }
}
