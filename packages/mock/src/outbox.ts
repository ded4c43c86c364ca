// The outbox: every message the sandbox sent, per API key, newest first, bounded in bytes. What
// makes a message entry is the contract's `x-sandbox.outbox`, on an operation or a webhook
// (spec/SANDBOX.md), never a name here; beside them, each step of a webhook delivery is an entry
// of the mock's own kind, `webhook`.
import { isObject, type JsonObject } from "@loops-contract/spec/json";
import { type Expected, meets, nearMisses } from "./match.js";
import type { OperationId, OutboxKind, WebhookEventName } from "./operation-ids.gen.js";
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
import type { WebhookAttempt, WebhookDelivery } from "./webhooks/dispatcher.js";

/** A message as a sender adds it to the outbox, before the outbox numbers it. */
export interface SentMessageEntry {
  /** What was sent, as the contract declares it (`x-sandbox.outbox.kind`). */
  kind: OutboxKind;
  /** The operation whose request sent it; `null` for what the sandbox sent on its own (a campaign). */
  operationId: OperationId | null;
  /** When it was sent, on the key's clock (ISO 8601). */
  at: string;
  /** The recipients. */
  to: string[];
  /** The fields the declaration keeps: the request's (attachments by size), the record's. */
  [field: string]: unknown;
}

/** The kind of the entries that are steps of webhook deliveries: the mock's own, not the contract's. */
export const webhookKind = "webhook";

/**
 * One step of a webhook delivery: an attempt at the key's endpoint, a hand-off to the listeners
 * alone, or a drop. `mock.webhookDeliveries(apiKey)` has each delivery as it is now.
 */
export interface SentWebhookEntry {
  kind: typeof webhookKind;
  operationId: null;
  /** When the step was made, on the key's clock (ISO 8601). */
  at: string;
  /** The endpoint attempted; empty when the event went to listeners alone or was dropped. */
  to: string[];
  /** Its `webhook-id`, the same on every attempt. */
  webhookId: string;
  eventName: WebhookEventName;
  /** The delivery after this step: `pending` (a retry is due at `nextAttemptAt`), `delivered`, `failed`, `dropped`. */
  status: WebhookDelivery["status"];
  /** Endpoint attempts made so far, this one included. */
  attempts: number;
  /** The endpoint's answer to this attempt, `null` when it gave none or none was made. */
  endpointStatus: number | null;
  /** Why this attempt failed, or why the event was dropped; `null` when it did not. */
  error: string | null;
  nextAttemptAt: string | null;
  /** How many listeners in this process it was handed to. */
  listeners: number;
  /** The event as its body holds it. */
  event: JsonObject;
  /** None other: it is here so that a message's fields read as `unknown` on any entry. */
  [field: string]: unknown;
}

/** An outbox entry as a sender adds it, before the outbox numbers it. */
export type SentEntry = SentMessageEntry | SentWebhookEntry;

/** Numbers every entry of the mock's outbox, in the order written. */
interface Numbered {
  seq: number;
}

export interface MessageEntry extends SentMessageEntry, Numbered {}
export interface WebhookEntry extends SentWebhookEntry, Numbered {}

/** An entry of the outbox: a message the sandbox sent, or a step of a webhook delivery. */
export type OutboxEntry = MessageEntry | WebhookEntry;

/** The outbox entry of a delivery's step, as `DeliveryReport` tells of it. */
export function deliveryEntry(
  delivery: WebhookDelivery,
  attempt: WebhookAttempt | null,
): SentWebhookEntry {
  return {
    kind: webhookKind,
    operationId: null,
    at: attempt?.at ?? delivery.sentAt ?? delivery.emittedAt,
    to: attempt !== null && delivery.endpoint !== null ? [delivery.endpoint] : [],
    webhookId: delivery.id,
    eventName: delivery.eventName as WebhookEventName,
    status: delivery.status,
    attempts: delivery.attempts.length,
    endpointStatus: attempt?.status ?? null,
    error: attempt?.error ?? delivery.reason,
    nextAttemptAt: delivery.nextAttemptAt,
    listeners: delivery.listeners,
    event: JSON.parse(delivery.body),
  };
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
export type OutboxMatch = OutboxExpected | ((entry: OutboxEntry) => boolean);

/** An entry's expected fields: a message's, or a webhook delivery step's (`kind: "webhook"`). */
export type OutboxExpected = Expected<MessageEntry> | Expected<WebhookEntry>;

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

/**
 * An entry in one line, for the messages of waitFor and the matchers: its kind, seq and
 * recipients; a webhook step's event, status and the endpoint's answer too.
 */
export function outboxLabel(entry: OutboxEntry): string {
  const to = entry.to.length > 0 ? ` to ${entry.to.join(", ")}` : "";
  if (entry.kind !== webhookKind) return `${entry.kind} #${entry.seq}${to}`;
  const answer = entry.endpointStatus === null ? "" : `, answered ${entry.endpointStatus}`;
  return `webhook #${entry.seq} ${entry.eventName}${to} (${entry.status}${answer})`;
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
      `  ${outboxLabel(entry)}:\n${differences.map((line) => `    ${line}`).join("\n")}`,
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
      kind: declared.kind as OutboxKind,
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
