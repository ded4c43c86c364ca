// The sandbox: what each API key created and changed, per the contract's `x-sandbox` declarations
// (spec/SANDBOX.md). Nothing here names a resource, an operation or a field of the contract: every
// name comes from the model. It is synchronous from a request's checks to its write, so two
// concurrent requests cannot both pass a check that only one of them may pass.
import {
  ContractError,
  sandboxModel as contractModel,
  operations as contractOperations,
  type JsonObject,
  type Operation,
  type Refusal,
  resolve,
  type SandboxAction,
  type SandboxIdentifiers,
  type SandboxModel,
  type SandboxPagination,
  type SandboxResource,
  validatorAt,
} from "@loops-contract/spec";
import { isObject } from "@loops-contract/spec/json";
import { fillMissingWithNull, freshId } from "./coherent.js";
import { deliveryEntry, type SentEntry } from "./outbox.js";
import { withoutData } from "./sizes.js";
import {
  type FlushOptions,
  type SendRequest,
  type WebhookDelivery,
  WebhookDispatcher,
  type WebhookListener,
  type WebhookSettings,
} from "./webhooks/dispatcher.js";
import { type EmitterHost, type EventContext, WebhookEmitter } from "./webhooks/emitter.js";
import { KeyScheduler } from "./webhooks/scheduler.js";

export interface SandboxLimits {
  /** API keys kept at once; past it the least recently used key starts again from the seed. */
  keys?: number | undefined;
  /** Created records kept per key and resource; past it the oldest created make room. */
  recordsPerKey?: number | undefined;
}

/**
 * What a Loops account holds that the API cannot create, by resource name of the contract's
 * `x-sandbox-model` (`transactionalEmail`, `mailingList`, `contactProperty`): records as the
 * resource's read or list answers them.
 */
export type Fixtures = Record<string, Array<Record<string, unknown>>>;

/** Fixtures that do not fit the contract; the message names the field. */
export class FixtureError extends TypeError {
  override name = "FixtureError";
}

export interface SandboxOptions {
  /** Fixtures every key starts with, on top of the seed; `define` adds a key's own. */
  fixtures?: Fixtures | undefined;
  /** Start every key as a new team: the reserved records and nothing else. */
  empty?: boolean | undefined;
  limits?: SandboxLimits | undefined;
  /** Wall time in milliseconds; a key's clock adds its own offset. Default: the real clock. */
  now?: (() => number) | undefined;
  /** Where and how webhooks go: every key's endpoint and secret, and the adapter's sender. */
  webhooks?: (WebhookSettings & { send?: SendRequest | undefined }) | undefined;
  /** Told what the sandbox sends and which keys it forgets: the outbox and the journal follow. */
  events?: SandboxEvents | undefined;
}

/** A message a request sent (its operation declares `x-sandbox.outbox`), with what it acted on. */
export interface SentMessage {
  operation: Operation;
  body: JsonObject;
  /** The record the operation sent or acted on, as stored. */
  record: JsonObject;
  /** The key's clock, in milliseconds. */
  at: number;
}

export interface SandboxEvents {
  sent?(key: string, message: SentMessage): void;
  /** An outbox entry the sandbox made on its own: a webhook's declared `outbox`, a delivery's step. */
  added?(key: string, entry: SentEntry): void;
  /** A key reset or evicted; `undefined`: every key. */
  forgotten?(key: string | undefined): void;
}

const fixtureRoom = 1_000_000;

export const defaultLimits = { keys: 100, recordsPerKey: 10_000 } as const;

/** A test clock and a reset for each API key, as Stripe's test mode has. */
export interface SandboxControls {
  /** The key's clock: wall time (the `now` option's, if given) plus what it was advanced, in milliseconds. */
  now(apiKey: string): number;
  /** Moves the key's clock forward; returns its new time in milliseconds. */
  advanceClock(apiKey: string, milliseconds: number): number;
  /** Returns the key (or, without one, every key) to the seed. */
  reset(apiKey?: string): void;
  /** What the key's requests recorded beside their records (events, sends), oldest first. */
  log(apiKey: string): Array<Record<string, unknown>>;
  /**
   * Declares what the key's Loops account holds (transactional emails, mailing lists, contact
   * properties): added now, and kept by `reset(apiKey)`, which returns to the seed plus them.
   */
  define(apiKey: string, fixtures: Fixtures): void;
  /**
   * Sets the key's webhook endpoint (http or https), or removes it with `null`; a key without one
   * uses the `webhookUrl` option's, if given. `reset` keeps it.
   */
  setWebhookEndpoint(apiKey: string, url: string | null): void;
  /** The key's webhook endpoint, or `undefined` when its webhooks go to listeners only. */
  webhookEndpoint(apiKey: string): string | undefined;
  /** The `whsec_` secret the key's webhooks are signed with: the `webhookSecret` option's, else its own. */
  webhookSecret(apiKey: string): string;
  /** Calls `listener` with every webhook delivered, of every key; returns what unsubscribes it. */
  onWebhook(listener: WebhookListener): () => void;
  /** The key's webhook deliveries and their attempts, oldest first (bounded like records). */
  webhookDeliveries(apiKey: string): WebhookDelivery[];
  /**
   * Resolves once the key's webhooks (every key's, without one) that are due on its clock, or wait
   * only for the 10-a-second spacing, have been delivered, given up, or are waiting for a retry;
   * the spacing is waited out in wall time. Not a retry: it and the events behind it stay pending.
   * At most `timeout` ms (default 2 s and 100 ms per queued delivery, at most 30 s); then what is
   * left stays pending in `webhookDeliveries`.
   */
  flushWebhooks(apiKey?: string, options?: FlushOptions): Promise<void>;
  /**
   * Sends one of the contract's webhooks for the key, as `stripe trigger` does: named by its key
   * (`testingTestEvent`) or its `eventName`, with its first example or the payload given, checked
   * against its schema (a `WebhookTriggerError` names the field); nothing follows it. Returns its
   * delivery, or `undefined` when the key has no endpoint and there is no listener.
   */
  triggerWebhook(apiKey: string, event: string, payload?: unknown): WebhookDelivery | undefined;
}

/** The controls of a sandbox, or of none: then they say so. */
export function controlsOf(sandbox: Sandbox | undefined): SandboxControls {
  const stateless = (): never => {
    throw new Error("This mock is stateless: it has no sandbox to move or reset.");
  };
  return {
    now: (apiKey) => (sandbox ? sandbox.now(apiKey) : stateless()),
    advanceClock: (apiKey, milliseconds) =>
      sandbox ? sandbox.advanceClock(apiKey, milliseconds) : stateless(),
    reset: (apiKey) => void (sandbox ? sandbox.reset(apiKey) : stateless()),
    log: (apiKey) => (sandbox ? sandbox.log(apiKey) : stateless()),
    define: (apiKey, fixtures) => void (sandbox ? sandbox.define(apiKey, fixtures) : stateless()),
    setWebhookEndpoint: (apiKey, url) =>
      sandbox ? sandbox.webhooks.setEndpoint(apiKey, url) : stateless(),
    webhookEndpoint: (apiKey) => (sandbox ? sandbox.webhooks.endpoint(apiKey) : stateless()),
    webhookSecret: (apiKey) => (sandbox ? sandbox.webhooks.secret(apiKey) : stateless()),
    onWebhook: (listener) => (sandbox ? sandbox.webhooks.onWebhook(listener) : stateless()),
    webhookDeliveries: (apiKey) => (sandbox ? sandbox.webhooks.deliveries(apiKey) : stateless()),
    flushWebhooks: (apiKey, options = {}) =>
      sandbox
        ? apiKey === undefined
          ? sandbox.webhooks.flushAll(options.timeout)
          : sandbox.webhooks.flush(apiKey, options.timeout)
        : Promise.reject(new Error("This mock is stateless: it sends no webhooks.")),
    triggerWebhook: (apiKey, event, payload) =>
      sandbox ? sandbox.emitter.trigger(apiKey, event, payload) : stateless(),
  };
}

export interface SandboxCall {
  key: string;
  operation: Operation;
  pathParameters: Record<string, string>;
  query: URLSearchParams;
  /** The validated request body, if the operation takes one. */
  body: unknown;
  /** The request URL as the caller sent it, for `nextPage`. */
  url: URL;
  /** The request's headers, for the idempotency key. */
  headers: Headers;
}

export interface SandboxAnswer {
  status: number;
  body: unknown;
  /** The named example the answer is (a refusal), for the headers named like it. */
  example?: string | undefined;
}

interface StoredRecord {
  seq: number;
  seed: boolean;
  value: JsonObject;
  /** When a published record sends, on its key's clock. */
  sendAt?: number | undefined;
  /** Whether the record carries its resource's `flag` (a suppressed contact). */
  flagged?: boolean | undefined;
  /** The `fixtureOnly` fields a fixture gave: read by the sandbox, never answered. */
  hidden?: JsonObject | undefined;
}

/**
 * One resource's records for one key, in creation order (`seq`), which lists read from the end.
 * The seed comes first and stays; created records are evicted oldest first, so they sit in a queue
 * whose head only moves forward: an eviction costs no shift of the records behind it.
 */
class Collection {
  readonly byId = new Map<string, StoredRecord>();
  readonly #seeded: StoredRecord[] = [];
  #created: StoredRecord[] = [];
  #head = 0;
  /** Per unique field, the record holding each value: a lookup or a uniqueness check is one get. */
  readonly #indexes = new Map<string, Map<string, StoredRecord>>();

  constructor(
    readonly idField: string,
    uniqueFields: readonly string[],
  ) {
    for (const field of uniqueFields) this.#indexes.set(field, new Map());
  }

  idOf(value: JsonObject): string {
    return String(value[this.idField]);
  }

  /** The record whose unique `field` holds `value`; `null` and absent values are never indexed. */
  findBy(field: string, value: unknown): StoredRecord | undefined {
    return value === null || value === undefined
      ? undefined
      : this.#indexes.get(field)?.get(JSON.stringify(value));
  }

  #index(record: StoredRecord, add: boolean): void {
    for (const [field, index] of this.#indexes) {
      const value = record.value[field];
      if (value === null || value === undefined) continue;
      if (add) index.set(JSON.stringify(value), record);
      else index.delete(JSON.stringify(value));
    }
  }

  /** Gives a stored record its new value, its index entries moved with it. */
  replace(record: StoredRecord, value: JsonObject): void {
    this.#index(record, false);
    record.value = value;
    this.#index(record, true);
  }

  get size(): number {
    return this.#seeded.length + this.#created.length - this.#head;
  }

  get createdCount(): number {
    return this.#created.length - this.#head;
  }

  /** Adds a record before every other, as a fixture is: it is never evicted. */
  prepend(record: StoredRecord): void {
    this.#seeded.unshift(record);
    this.byId.set(this.idOf(record.value), record);
    this.#index(record, true);
  }

  /** The record at a position in creation order, 0 the oldest. */
  at(index: number): StoredRecord {
    const seeded = this.#seeded.length;
    return (
      index < seeded ? this.#seeded[index] : this.#created[this.#head + index - seeded]
    ) as StoredRecord;
  }

  *[Symbol.iterator](): IterableIterator<StoredRecord> {
    for (let index = 0; index < this.size; index += 1) yield this.at(index);
  }

  add(record: StoredRecord): void {
    (record.seed ? this.#seeded : this.#created).push(record);
    this.byId.set(this.idOf(record.value), record);
    this.#index(record, true);
  }

  /** The oldest created record, or `undefined` when only the seed is left. */
  oldestCreated(): StoredRecord | undefined {
    return this.#created[this.#head];
  }

  /** Removes a created record (a seeded one stays: eviction never takes the seed). */
  remove(id: string): void {
    const record = this.byId.get(id);
    if (record === undefined || record.seed) return;
    this.byId.delete(id);
    this.#index(record, false);
    if (record === this.#created[this.#head]) {
      this.#created[this.#head] = undefined as unknown as StoredRecord;
      this.#head += 1;
      // Drop the spent head now and then, so the queue's memory follows what it holds.
      if (this.#head > 1024 && this.#head * 2 > this.#created.length) {
        this.#created = this.#created.slice(this.#head);
        this.#head = 0;
      }
      return;
    }
    const index = this.#created.indexOf(record, this.#head);
    if (index >= 0) this.#created.splice(index, 1);
  }

  /** Removes any record, seeded or created, as a delete request does. */
  delete(record: StoredRecord): void {
    if (!record.seed) {
      this.remove(this.idOf(record.value));
      return;
    }
    const index = this.#seeded.indexOf(record);
    if (index < 0) return;
    this.#seeded.splice(index, 1);
    this.byId.delete(this.idOf(record.value));
    this.#index(record, false);
  }

  /** The position of the last record whose seq is at most `seq`, or -1. */
  indexAtOrBefore(seq: number): number {
    let low = 0;
    let high = this.size - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (this.at(middle).seq <= seq) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  }
}

interface KeyState {
  offset: number;
  nextSeq: number;
  collections: Map<string, Collection>;
  quota: Map<string, { day: string; used: number }>;
  /** What requests recorded beside their records (an operation's `log` fields), oldest first. */
  log: JsonObject[];
  /** Per resource, when each `unflag` happened on the key's clock, oldest first. */
  lifts: Map<string, number[]>;
  /** Idempotency keys of successful requests, in their scope, with when they were used. */
  idempotencyKeys: Map<string, number>;
  /** The seq of the record before every other: fixtures go before it, so seq stays ordered. */
  firstSeq: number;
}

interface ResourcePlan {
  name: string;
  rules: SandboxResource;
  /** The field that names a record: `id` unless the model says otherwise. */
  idField: string;
  /** The operation that reads one record by id, for a resource that has one. */
  read: Operation | undefined;
  /** JSON pointer of the record's schema (the read answer's, or an item of a find's or a list's). */
  schemaPointer: string;
  /** The fields the record's schema declares; any other is a custom one, which `null` removes. */
  declaredFields: Set<string>;
  /** Top-level fields whose schema is a date-time, moved with the key's clock when seeded. */
  timeFields: string[];
}

type ActionHandler = (plan: ResourcePlan, state: KeyState, call: SandboxCall) => SandboxAnswer;

class Refused {
  constructor(
    readonly refusal: Refusal,
    readonly body: JsonObject,
  ) {}
}

function matches(value: JsonObject, pattern: JsonObject): boolean {
  return Object.entries(pattern).every(([key, expected]) => value[key] === expected);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function successOf(operation: Operation) {
  const response = operation.responses.find((r) => /^2\d\d$/.test(r.status) && r.body);
  if (response?.body === undefined) {
    throw new ContractError(`${operation.operationId} documents no 2xx body for the sandbox`);
  }
  return { status: Number(response.status), body: response.body };
}

/** The pointer of each property a schema declares, its own and its `allOf` parts', in order. */
export function propertyPointers(pointer: string, seen = new Set<string>()): Map<string, string> {
  const found = new Map<string, string>();
  if (seen.has(pointer)) return found;
  seen.add(pointer);
  const { pointer: at, node } = resolve(pointer);
  if (isObject(node.properties)) {
    for (const name of Object.keys(node.properties)) {
      found.set(name, resolve(`${at}/properties/${name}`).pointer);
    }
  }
  if (Array.isArray(node.allOf)) {
    node.allOf.forEach((_, index) => {
      for (const [name, schema] of propertyPointers(`${at}/allOf/${index}`, seen)) {
        if (!found.has(name)) found.set(name, schema);
      }
    });
  }
  return found;
}

function schemaProperties(pointer: string): Map<string, JsonObject> {
  const pointers = [...propertyPointers(pointer)];
  return new Map(pointers.map(([name, at]) => [name, resolve(at).node]));
}

/** A field the answer's schema refuses, for the 500 that must never be reached. */
export class StoredShapeError extends Error {
  override name = "StoredShapeError";
}

/**
 * The value with the fields its schema requires filled with `null`. A bare list is only checked:
 * its records were filled when they were stored.
 */
function conform<Value extends JsonObject | JsonObject[]>(
  value: Value,
  schemaPointer: string,
): Value {
  const validate = validatorAt(schemaPointer);
  for (let attempt = 0; attempt < 4; attempt += 1) {
    if (validate(value)) return value;
    if (Array.isArray(value) || !fillMissingWithNull(value, validate)) break;
  }
  const error = validate.errors?.[0];
  const field = (error?.instancePath ?? "").split("/").slice(1).join(".") || "(the body)";
  throw new StoredShapeError(
    `The sandbox's answer does not fit the contract: ${field} ${error?.message ?? "is invalid"}.`,
  );
}

const propertyOrders = new Map<string, string[]>();

/** The fields in the order the schema lists them, as the examples show them; others after. */
function inSchemaOrder(value: JsonObject, schemaPointer: string): JsonObject {
  let order = propertyOrders.get(schemaPointer);
  if (order === undefined) {
    order = [...schemaProperties(schemaPointer).keys()];
    propertyOrders.set(schemaPointer, order);
  }
  const ordered: JsonObject = {};
  for (const field of order) if (Object.hasOwn(value, field)) ordered[field] = value[field];
  return Object.assign(ordered, value);
}

const cursorPattern = /^p([0-9a-z]{1,11})$/;

/** A template of the model with each `{name}` filled in; a name with no value is left empty. */
function filled(template: string, valueNamed: (name: string) => unknown): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(valueNamed(name) ?? ""));
}

/**
 * The stored value with an update's fields set: `patchMaps` fields merged name by name, `clears`
 * applied, the revision the update expects left out.
 */
function merged(rules: SandboxResource, stored: JsonObject, body: JsonObject): JsonObject {
  const next: JsonObject = structuredClone(stored);
  for (const [field, value] of Object.entries(body)) {
    if (field === rules.revision?.expectedField) continue;
    if (rules.flagMaps?.[field] !== undefined && isObject(value)) {
      next[field] = withFlags(next[field], value);
    } else if (rules.patchMaps?.includes(field) && isObject(value)) {
      const map: JsonObject = isObject(next[field]) ? (next[field] as JsonObject) : {};
      for (const [name, entry] of Object.entries(value)) {
        if (entry === null) delete map[name];
        else map[name] = entry;
      }
      if (Object.keys(map).length > 0) next[field] = map;
      else delete next[field];
    } else {
      next[field] = structuredClone(value);
    }
  }
  for (const [field, cleared] of Object.entries(rules.clears ?? {})) {
    if (!(field in body)) continue;
    for (const other of cleared) if (!(other in body)) next[other] = null;
  }
  return next;
}

/** A flag map with `true` entries added and `false` ones removed: only `true` entries are kept. */
function withFlags(stored: unknown, flags: JsonObject): JsonObject {
  const map: JsonObject = isObject(stored) ? structuredClone(stored) : {};
  for (const [name, flag] of Object.entries(flags)) {
    if (flag === true) map[name] = true;
    else delete map[name];
  }
  return map;
}

/** The value without the custom (undeclared) fields set to `null`: `null` clears one. */
function withoutCleared(plan: ResourcePlan, value: JsonObject): JsonObject {
  for (const [field, entry] of Object.entries(value)) {
    if (entry === null && !plan.declaredFields.has(field)) delete value[field];
  }
  return value;
}

/**
 * The JSON pointer of the record an operation's 2xx answer holds: an array's item for a bare
 * list or a find, an item of the envelope's `itemsField` for a paged list.
 */
function recordPointer(operation: Operation, itemsField: string): string {
  const { pointer, node } = resolve(successOf(operation).body.schemaPointer);
  if (node.type === "array") return resolve(`${pointer}/items`).pointer;
  const items = schemaProperties(pointer).get(itemsField);
  if (operation.sandbox?.action !== "list" || items?.type !== "array") return pointer;
  const { pointer: envelope } = resolve(`${pointer}/properties/${itemsField}`);
  return resolve(`${envelope}/items`).pointer;
}

/** A page of a list, under the field names `x-sandbox-model.pagination` gives each part. */
function envelope(pagination: SandboxPagination, figures: JsonObject, items: JsonObject[]) {
  const page: JsonObject = {};
  for (const [figure, field] of Object.entries(pagination.pageFields)) {
    if (field !== undefined) page[field] = figures[figure];
  }
  return { [pagination.pageField]: page, [pagination.itemsField]: items };
}

export class Sandbox {
  readonly #model: SandboxModel;
  readonly #plans = new Map<string, ResourcePlan>();
  readonly #seed = new Map<string, JsonObject[]>();
  /** Per resource, the ids of seeded records its `flagStatus` examples show flagged. */
  readonly #seedFlagged = new Map<string, Set<string>>();
  readonly #keys = new Map<string, KeyState>();
  readonly #empty: boolean;
  readonly #limits: Required<{ [K in keyof SandboxLimits]: number }>;
  readonly #now: () => number;
  readonly #examplesNow: number;
  /** Fixtures for every key (the option), and each key's own (`define`). */
  readonly #fixtures: Map<string, JsonObject[]>;
  readonly #keyFixtures = new Map<string, Map<string, JsonObject[]>>();
  /** Work due on each key's clock: webhook deliveries and their retries. */
  readonly scheduler: KeyScheduler;
  readonly webhooks: WebhookDispatcher;
  /** What each change of a key's records emits, as the contract's webhooks declare it. */
  readonly emitter: WebhookEmitter;
  readonly #events: SandboxEvents;

  constructor(options: SandboxOptions = {}) {
    if (contractModel === undefined) {
      throw new ContractError("The contract has no x-sandbox-model: run the mock stateless");
    }
    this.#model = contractModel;
    this.#empty = options.empty ?? false;
    this.#limits = {
      keys: options.limits?.keys ?? defaultLimits.keys,
      recordsPerKey: options.limits?.recordsPerKey ?? defaultLimits.recordsPerKey,
    };
    if (options.now !== undefined && typeof options.now !== "function") {
      throw new TypeError(
        "The mock's now option must be a function returning milliseconds, such as () => Date.now().",
      );
    }
    this.#now = options.now ?? Date.now;
    this.#events = options.events ?? {};
    this.#examplesNow = Date.parse(this.#model.examplesNow);
    for (const [name, rules] of Object.entries(this.#model.resources)) {
      const actions: SandboxAction[] = ["read", "find", "list"];
      const source = actions
        .map((action) =>
          contractOperations.find(
            (operation) =>
              operation.sandbox?.resource === name && operation.sandbox.action === action,
          ),
        )
        .find((operation) => operation !== undefined);
      if (source === undefined) {
        throw new ContractError(`Resource ${name} has no read, find or list operation`);
      }
      const schemaPointer = recordPointer(source, this.#model.pagination.itemsField);
      const properties = schemaProperties(schemaPointer);
      const timeFields = [...properties]
        .filter(([, schema]) => schema.format === "date-time")
        .map(([field]) => field);
      const declaredFields = new Set(properties.keys());
      const read = source.sandbox?.action === "read" ? source : undefined;
      const idField = rules.idField ?? "id";
      this.#plans.set(name, {
        name,
        rules,
        idField,
        read,
        schemaPointer,
        declaredFields,
        timeFields,
      });
    }
    this.#buildSeed();
    this.#fixtures = this.#validFixtures(options.fixtures ?? {}, "fixtures");
    this.scheduler = new KeyScheduler(
      (key) => this.now(key),
      (error) => process.emitWarning(`The Loops mock's scheduled work failed: ${String(error)}`),
    );
    const { send, ...settings } = options.webhooks ?? {};
    this.webhooks = new WebhookDispatcher(
      this.scheduler,
      () => this.#wallTime(),
      send ?? ((request) => fetch(request)),
      this.#limits,
      settings,
      (key, delivery, attempt) => this.#events.added?.(key, deliveryEntry(delivery, attempt)),
    );
    this.emitter = new WebhookEmitter(this.webhooks, this.scheduler, this.#emitterHost());
  }

  /** The records an event is made from, found for the emitter by the model's declarations. */
  #emitterHost(): EmitterHost {
    const recordOf = (key: string, resource: string, id: unknown) =>
      typeof id === "string"
        ? this.#collection(this.#state(key), resource).byId.get(id)?.value
        : undefined;
    return {
      around: (key, resource, value) => {
        const rules = this.#plan(resource).rules;
        const context: EventContext = { [resource]: value };
        const companion = rules.companion;
        if (companion !== undefined) {
          context[companion.resource] = recordOf(key, companion.resource, value[companion.idField]);
        }
        for (const [field, reference] of Object.entries(rules.references ?? {})) {
          context[reference.resource] = recordOf(key, reference.resource, value[field]);
        }
        return context;
      },
      flagged: (key, resource, field, id) => {
        const target = this.#plan(resource).rules.flagMaps?.[field]?.resource;
        return target === undefined ? {} : { [target]: recordOf(key, target, id) };
      },
      audience: (key, rule, value) => {
        const listId = value[rule.field];
        const members: JsonObject[] = [];
        for (const { value: member } of this.#collection(this.#state(key), rule.resource)) {
          const flags = member[rule.flagMap];
          const onList = listId === null || listId === undefined;
          if (
            (onList || (isObject(flags) && flags[String(listId)] === true)) &&
            matches(member, rule.where)
          ) {
            members.push(member);
          }
        }
        return members;
      },
      apply: (key, resource, value, fields, at) => {
        const plan = this.#plan(resource);
        const collection = this.#collection(this.#state(key), resource);
        const record = collection.byId.get(collection.idOf(value));
        if (record === undefined) return;
        const before = record.value;
        const next = inSchemaOrder(
          conform({ ...before, ...fields }, plan.schemaPointer),
          plan.schemaPointer,
        );
        collection.replace(record, next);
        this.emitter.changed(key, resource, before, next, at);
      },
      outbox: (key, entry) => this.#events.added?.(key, entry),
    };
  }

  /**
   * A published record's send on the key's clock, when its sending would emit a webhook or write
   * an outbox entry: at the time its status turns `sent`, the status moves and what that emits
   * is emitted.
   */
  #scheduleSend(plan: ResourcePlan, key: string, record: StoredRecord): void {
    const schedule = plan.rules.schedule;
    const sendAt = record.sendAt;
    if (schedule === undefined || sendAt === undefined || !this.emitter.listens(key, plan.name))
      return;
    const id = this.#collection(this.#state(key), plan.name).idOf(record.value);
    this.scheduler.at(key, sendAt + schedule.sendingMilliseconds, (at) => {
      const held = this.#keys.get(key)?.collections.get(plan.name)?.byId.get(id);
      if (held !== record || record.sendAt !== sendAt) return;
      const before = { ...record.value };
      this.#settle(plan, record, at);
      if (record.value[schedule.statusField] !== before[schedule.statusField]) {
        this.emitter.changed(key, plan.name, before, record.value, at);
      }
    });
  }

  /**
   * Adds the key's own fixtures: a record whose id the key declared already replaces it. Bounded
   * like the sandbox: fixtures for at most `limits.keys` keys, `limits.recordsPerKey` records per
   * key and resource; past either the whole call is refused and nothing is kept.
   */
  define(key: string, fixtures: Fixtures): void {
    const valid = this.#validFixtures(fixtures, "fixtures");
    if (!this.#keyFixtures.has(key) && this.#keyFixtures.size >= this.#limits.keys) {
      throw new FixtureError(
        `Fixtures are kept for at most ${this.#limits.keys} API keys (limits.keys); give the fixtures option to every key instead.`,
      );
    }
    const own = new Map(this.#keyFixtures.get(key) ?? []);
    for (const [resource, records] of valid) {
      const plan = this.#plan(resource);
      const byId = new Map(
        (own.get(resource) ?? []).map((record) => [record[plan.idField], record]),
      );
      for (const record of records) byId.set(record[plan.idField], record);
      if (byId.size > this.#limits.recordsPerKey) {
        throw new FixtureError(
          `fixtures.${resource} would hold ${byId.size} records for this key, over limits.recordsPerKey (${this.#limits.recordsPerKey}).`,
        );
      }
      own.set(resource, [...byId.values()]);
    }
    this.#keyFixtures.set(key, own);
    if (this.#keys.has(key)) this.#applyFixtures(this.#state(key), valid);
  }

  /** The fixtures checked against the records' schemas, or a FixtureError naming the field. */
  #validFixtures(fixtures: unknown, where: string): Map<string, JsonObject[]> {
    if (!isObject(fixtures)) {
      throw new FixtureError(`${where} must be an object of resource names to arrays of records.`);
    }
    const valid = new Map<string, JsonObject[]>();
    for (const [resource, records] of Object.entries(fixtures)) {
      const plan = this.#plans.get(resource);
      const at = `${where}.${resource}`;
      if (plan === undefined) {
        const known = [...this.#plans.keys()].join(", ");
        throw new FixtureError(`${at}: no such resource; the sandbox's are ${known}.`);
      }
      if (!Array.isArray(records)) throw new FixtureError(`${at} must be an array of records.`);
      const validate = validatorAt(plan.schemaPointer);
      valid.set(
        resource,
        records.map((given, index) => {
          const record = this.#withoutFixtureOnly(plan, given, `${at}[${index}]`);
          if (!validate(record) || !isObject(record)) {
            const error = validate.errors?.[0];
            const field = (error?.instancePath ?? "").split("/").slice(1).join(".");
            const path = `${at}[${index}]${field ? `.${field}` : ""}`;
            throw new FixtureError(`${path}: ${error?.message ?? "must be an object"}.`);
          }
          if (typeof record[plan.idField] !== "string") {
            throw new FixtureError(`${at}[${index}].${plan.idField}: must be a string.`);
          }
          return structuredClone(given as JsonObject);
        }),
      );
    }
    return valid;
  }

  /** The record without its `fixtureOnly` fields, each checked to be a list of names. */
  #withoutFixtureOnly(plan: ResourcePlan, record: unknown, at: string): unknown {
    const fixtureOnly = plan.rules.fixtureOnly ?? [];
    if (!isObject(record) || fixtureOnly.length === 0) return record;
    const rest: JsonObject = { ...record };
    for (const field of fixtureOnly) {
      const names = rest[field];
      delete rest[field];
      if (names === undefined) continue;
      if (!Array.isArray(names) || names.some((entry) => typeof entry !== "string")) {
        throw new FixtureError(`${at}.${field}: must be an array of names.`);
      }
    }
    return rest;
  }

  /** Fixtures into a key's collections: a record with a held id replaces it; others go first. */
  #applyFixtures(state: KeyState, fixtures: Map<string, JsonObject[]>): void {
    for (const [resource, records] of fixtures) {
      const plan = this.#plan(resource);
      const collection = this.#collection(state, resource);
      for (const record of records) {
        const hidden: JsonObject = {};
        const given = structuredClone(record);
        for (const field of plan.rules.fixtureOnly ?? []) {
          if (field in given) hidden[field] = given[field];
          delete given[field];
        }
        const value = inSchemaOrder(given, plan.schemaPointer);
        const held = collection.byId.get(collection.idOf(value));
        if (held !== undefined) {
          collection.replace(held, value);
          held.hidden = hidden;
        } else {
          collection.prepend({ seq: state.firstSeq--, seed: true, value, hidden });
        }
      }
    }
  }

  /** Whether the sandbox answers this operation (the contract declares it `x-sandbox`). */
  handles(operation: Operation): boolean {
    return operation.sandbox !== undefined && this.#plans.has(operation.sandbox.resource);
  }

  /** The key's clock, in milliseconds. */
  now(key: string): number {
    return this.#wallTime() + this.#state(key).offset;
  }

  /** The key's clock without making the key: wall time for a key the sandbox does not hold. */
  clockOf(key: string): number {
    return this.#wallTime() + (this.#keys.get(key)?.offset ?? 0);
  }

  /** The wall time the `now` option gives, checked: a clock that is no time is the caller's fault. */
  #wallTime(): number {
    const now = this.#now();
    if (typeof now !== "number" || !Number.isFinite(now)) {
      throw new RangeError(
        `The mock's now option returned ${String(now)}: it must return milliseconds since 1970, as Date.now() does.`,
      );
    }
    return now;
  }

  advanceClock(key: string, milliseconds: number): number {
    if (!Number.isFinite(milliseconds) || milliseconds < 0) {
      throw new RangeError("The clock only moves forward: give a number of milliseconds >= 0.");
    }
    this.#state(key).offset += milliseconds;
    // Everything due by the new time runs before the clock is read back.
    this.scheduler.runDue(key);
    return this.now(key);
  }

  /**
   * Returns one key, or every key, to the seed, its due work and webhook queue forgotten (its
   * endpoint and secret stay); returns how many keys it forgot.
   */
  reset(key?: string): number {
    this.scheduler.clear(key);
    this.webhooks.forget(key);
    this.#events.forgotten?.(key);
    if (key !== undefined) return Number(this.#keys.delete(key));
    const forgotten = this.#keys.size;
    this.#keys.clear();
    return forgotten;
  }

  /** One handler for each `x-sandbox.action` of the vocabulary: a new action is one entry. */
  readonly #actions: Record<SandboxAction, ActionHandler> = {
    create: (plan, state, call) => this.#create(plan, state, call),
    read: (plan, state, call) => this.#read(plan, state, call),
    update: (plan, state, call) => this.#update(plan, state, call),
    list: (plan, state, call) => this.#list(plan, state, call),
    inspect: (plan, state, call) => this.#inspect(plan, state, call),
    find: (plan, state, call) => this.#findByIdentifier(plan, state, call),
    upsert: (plan, state, call) => this.#upsert(plan, state, call),
    delete: (plan, state, call) => this.#delete(plan, state, call),
    flagStatus: (plan, state, call) => this.#flagStatus(plan, state, call),
    unflag: (plan, state, call) => this.#unflag(plan, state, call),
    send: (plan, state, call) => this.#send(plan, state, call),
  };

  /** What the key's requests recorded beside their records (`log`), oldest first. */
  log(key: string): JsonObject[] {
    return structuredClone(this.#state(key).log);
  }

  // --- what the inspector reads: every key, and a key's records, without using either ---

  /** The keys held, most recently used first. Reading them makes no key and moves none. */
  keys(): string[] {
    return [...this.#keys.keys()].reverse();
  }

  /** Each resource of the model, with the pointer of its record's schema (its read answer's). */
  resources(): Array<{ name: string; idField: string; schemaPointer: string }> {
    return [...this.#plans.values()].map(({ name, idField, schemaPointer }) => ({
      name,
      idField,
      schemaPointer,
    }));
  }

  /**
   * A held key's records of a resource as a read shows them (settled on its clock), newest first,
   * at most `count`, with how many it holds; `undefined` for a key the sandbox does not hold.
   */
  records(
    key: string,
    resource: string,
    count: number,
  ): { total: number; records: JsonObject[] } | undefined {
    const state = this.#keys.get(key);
    if (state === undefined) return undefined;
    const collection = this.#collection(state, resource);
    const now = this.#wallTime() + state.offset;
    const { items } = this.#newestFirst(
      this.#plan(resource),
      collection,
      collection.size - 1,
      count,
      now,
    );
    return { total: collection.size, records: items };
  }

  answer(call: SandboxCall): SandboxAnswer {
    const declared = call.operation.sandbox;
    if (declared === undefined)
      throw new ContractError(`${call.operation.operationId} is not declared`);
    const plan = this.#plan(declared.resource);
    // What was due on the key's clock happens before the request sees the key's records, and
    // what the request made due (its webhooks) before its answer.
    this.scheduler.runDue(call.key);
    const state = this.#state(call.key);
    try {
      const spendKey = this.#checkIdempotency(state, call);
      const answer = this.#actions[declared.action](plan, state, call);
      spendKey?.();
      return answer;
    } catch (error) {
      if (error instanceof Refused) {
        return { status: error.refusal.status, body: error.body, example: error.refusal.example };
      }
      throw error;
    } finally {
      this.scheduler.runDue(call.key);
    }
  }

  /**
   * A request repeating a key used within the window is refused before anything else; a new key
   * is spent only by a request that succeeds (the returned callback), so a refused one can retry.
   */
  #checkIdempotency(state: KeyState, call: SandboxCall): (() => void) | undefined {
    const rule = call.operation.sandbox?.idempotency;
    const header = call.operation.idempotencyKey?.header;
    const sent = header === undefined ? null : call.headers.get(header);
    if (rule === undefined || sent === null || sent === "") return undefined;
    const scoped = rule.scope === "operation" ? `${call.operation.operationId}\n${sent}` : sent;
    const now = this.now(call.key);
    const window = rule.hours * 60 * 60 * 1000;
    const used = state.idempotencyKeys.get(scoped);
    if (used !== undefined && now - used < window) {
      throw this.#refuse(call, rule.conflict, isObject(call.body) ? call.body : {});
    }
    return () => {
      state.idempotencyKeys.delete(scoped);
      state.idempotencyKeys.set(scoped, now);
      // Oldest first: past the per-key cap, or past the window, the first keys go.
      for (const [oldest, at] of state.idempotencyKeys) {
        const over = state.idempotencyKeys.size > this.#limits.recordsPerKey;
        if (!over && now - at < window) break;
        state.idempotencyKeys.delete(oldest);
      }
    };
  }

  #plan(name: string): ResourcePlan {
    const plan = this.#plans.get(name);
    if (plan === undefined) throw new ContractError(`The sandbox model has no resource ${name}`);
    return plan;
  }

  // --- seed -------------------------------------------------------------------------------

  /**
   * One rule: a resource's seed is every record in the 200 examples of its list operations, then
   * of its read operation, in the contract's order; an id met again is another state of a record
   * already seeded and is skipped. A seeded record whose companion no example holds gets one made
   * like a create's. With `empty`, only the reserved records are kept.
   */
  #buildSeed(): void {
    const ordered = [...this.#plans.values()];
    for (const plan of ordered) {
      const seen = new Map<string, JsonObject>();
      const sources = contractOperations.filter(
        (operation) =>
          operation.sandbox?.resource === plan.name &&
          ["list", "find", "read"].includes(operation.sandbox.action),
      );
      sources.sort(
        (a, b) => Number(b.sandbox?.action === "list") - Number(a.sandbox?.action === "list"),
      );
      for (const operation of sources) {
        for (const example of successOf(operation).body.examples) {
          for (const value of this.#recordsIn(operation, example.value)) {
            const id = isObject(value) ? value[plan.idField] : undefined;
            if (isObject(value) && typeof id === "string" && !seen.has(id)) {
              seen.set(id, structuredClone(value));
            }
          }
        }
      }
      this.#seed.set(plan.name, [...seen.values()]);
    }
    for (const plan of ordered) this.#seedFlags(plan);
    for (const plan of ordered) {
      const companion = plan.rules.companion;
      if (companion === undefined) continue;
      const companions = this.#seed.get(companion.resource) ?? [];
      const held = new Set(companions.map((value) => value.id));
      for (const owner of this.#seed.get(plan.name) ?? []) {
        const id = owner[companion.idField];
        if (typeof id !== "string" || held.has(id)) continue;
        const made = this.#companionValue(
          plan,
          String(owner.id),
          id,
          String(owner[this.#model.updatedField] ?? this.#model.examplesNow),
        );
        companions.push(made);
        held.add(id);
      }
      this.#seed.set(companion.resource, companions);
    }
    for (const plan of ordered) {
      const created = this.#model.createdField;
      const values = this.#seed.get(plan.name) ?? [];
      // Oldest first, so that seq follows creation time; a stable sort keeps the examples' order.
      values.sort((a, b) =>
        typeof a[created] === "string" && typeof b[created] === "string"
          ? Date.parse(b[created] as string) < Date.parse(a[created] as string)
            ? 1
            : -1
          : 0,
      );
      const reserved = plan.rules.reserved;
      const kept = this.#empty
        ? values.filter((value) => reserved !== undefined && matches(value, reserved.match))
        : values;
      this.#seed.set(plan.name, kept);
    }
  }

  /** The records the resource's `flagStatus` examples show flagged are flagged in the seed. */
  #seedFlags(plan: ResourcePlan): void {
    const flag = plan.rules.flag;
    if (flag === undefined) return;
    const ids = new Set<string>();
    for (const operation of contractOperations) {
      if (operation.sandbox?.resource !== plan.name) continue;
      if (operation.sandbox.action !== "flagStatus") continue;
      for (const { value } of successOf(operation).body.examples) {
        const identity = isObject(value) ? value[flag.recordField] : undefined;
        if (isObject(value) && value[flag.statusField] === true && isObject(identity)) {
          ids.add(String(identity[plan.idField]));
        }
      }
    }
    this.#seedFlagged.set(plan.name, ids);
  }

  /** The records an answer of `operation` holds: a list's items, or the one record read. */
  #recordsIn(operation: Operation, answer: unknown): unknown[] {
    if (operation.sandbox?.action === "read") return [answer];
    if (Array.isArray(answer)) return answer;
    const items = isObject(answer) ? answer[this.#model.pagination.itemsField] : undefined;
    return Array.isArray(items) ? items : [];
  }

  #companionValue(owner: ResourcePlan, ownerId: string, id: string, at: string): JsonObject {
    const companion = owner.rules.companion;
    if (companion === undefined) throw new ContractError(`${owner.name} has no companion`);
    const plan = this.#plan(companion.resource);
    const examples = plan.read ? successOf(plan.read).body.examples : [];
    const example = examples.find((e) => e.name === companion.example);
    if (!isObject(example?.value)) {
      throw new ContractError(`No example ${companion.example} to make a ${plan.name} from`);
    }
    const value: JsonObject = structuredClone(example.value);
    value.id = id;
    value[companion.ownerField] = ownerId;
    const revision = plan.rules.revision;
    if (revision !== undefined) value[revision.field] = freshId();
    for (const field of plan.timeFields) value[field] = at;
    return value;
  }

  #state(key: string): KeyState {
    let state = this.#keys.get(key);
    if (state !== undefined) {
      // Most recently used last, so eviction takes the first.
      this.#keys.delete(key);
      this.#keys.set(key, state);
      return state;
    }
    state = {
      offset: 0,
      // Room below the seed for a million fixtures, so every seq stays positive (cursors are
      // base-36 seqs).
      nextSeq: fixtureRoom + 1,
      collections: new Map(),
      quota: new Map(),
      log: [],
      lifts: new Map(),
      idempotencyKeys: new Map(),
      firstSeq: fixtureRoom,
    };
    const shift = this.#wallTime() - this.#examplesNow;
    for (const plan of this.#plans.values()) {
      const collection = new Collection(plan.idField, Object.keys(plan.rules.unique ?? {}));
      for (const seeded of this.#seed.get(plan.name) ?? []) {
        const value = structuredClone(seeded);
        for (const field of plan.timeFields) value[field] = this.#shifted(value[field], shift);
        const flagged = this.#seedFlagged.get(plan.name)?.has(String(value[plan.idField]));
        const record: StoredRecord = { seq: state.nextSeq++, seed: true, value, flagged };
        const schedule = plan.rules.schedule;
        if (schedule !== undefined && value[schedule.statusField] === schedule.scheduled) {
          const scheduling = value[schedule.field];
          if (isObject(scheduling)) {
            scheduling[schedule.timestampField] = this.#shifted(
              scheduling[schedule.timestampField],
              shift,
            );
            const at = Date.parse(String(scheduling[schedule.timestampField]));
            if (Number.isFinite(at)) record.sendAt = at;
          }
        }
        collection.add(record);
      }
      state.collections.set(plan.name, collection);
    }
    this.#applyFixtures(state, this.#fixtures);
    this.#applyFixtures(state, this.#keyFixtures.get(key) ?? new Map());
    this.#keys.set(key, state);
    while (this.#keys.size > this.#limits.keys) {
      this.reset(this.#keys.keys().next().value as string);
    }
    return state;
  }

  #shifted(value: unknown, shift: number): unknown {
    if (typeof value !== "string") return value;
    const at = Date.parse(value);
    return Number.isFinite(at) ? new Date(at + shift).toISOString() : value;
  }

  // --- reading and settling ---------------------------------------------------------------

  #collection(state: KeyState, name: string): Collection {
    const collection = state.collections.get(name);
    if (collection === undefined) throw new ContractError(`No collection ${name}`);
    return collection;
  }

  /** Moves a published record along its schedule to where the key's clock says it is. */
  #settle(plan: ResourcePlan, record: StoredRecord, now: number): void {
    const schedule = plan.rules.schedule;
    if (schedule === undefined || record.sendAt === undefined) return;
    const status =
      now < record.sendAt
        ? schedule.scheduled
        : now < record.sendAt + schedule.sendingMilliseconds
          ? schedule.sending
          : schedule.sent;
    record.value[schedule.statusField] = status;
    if (status === schedule.sent) record.sendAt = undefined;
  }

  #find(plan: ResourcePlan, state: KeyState, call: SandboxCall, now: number): StoredRecord {
    const idParameter = call.operation.pathParameters.at(-1)?.name;
    const id = call.pathParameters[idParameter ?? ""];
    const record = id === undefined ? undefined : this.#collection(state, plan.name).byId.get(id);
    if (record === undefined) {
      throw this.#refuse(call, this.#notFound(plan), {});
    }
    this.#settle(plan, record, now);
    return record;
  }

  #notFound(plan: ResourcePlan): Refusal {
    const example = plan.rules.notFound;
    if (example === undefined) throw new ContractError(`${plan.name} declares no notFound`);
    return { status: 404, example };
  }

  /**
   * The refusal's example, its message (if the model gives one) filled in: `{now}` with the key's
   * clock, any other `{field}` from the request body.
   */
  #refuse(call: SandboxCall, refusal: Refusal, fields: JsonObject): Refused {
    const { operation } = call;
    const response = operation.responses.find((r) => r.status === String(refusal.status));
    const example = response?.body?.examples.find((e) => e.name === refusal.example);
    if (!isObject(example?.value)) {
      throw new ContractError(
        `${operation.operationId} has no ${refusal.status} example ${refusal.example}`,
      );
    }
    const body: JsonObject = structuredClone(example.value);
    if (refusal.message !== undefined) {
      body.message = filled(refusal.message, (name) =>
        name === "now" ? new Date(this.now(call.key)).toISOString() : fields[name],
      );
    }
    return new Refused(refusal, body);
  }

  #read(plan: ResourcePlan, state: KeyState, call: SandboxCall): SandboxAnswer {
    const record = this.#find(plan, state, call, this.now(call.key));
    return this.#success(call.operation, structuredClone(record.value));
  }

  #success(operation: Operation, value: JsonObject | JsonObject[]): SandboxAnswer {
    const { status, body } = successOf(operation);
    const conformed = conform(value, body.schemaPointer);
    return {
      status,
      body: Array.isArray(conformed) ? conformed : inSchemaOrder(conformed, body.schemaPointer),
    };
  }

  // --- writes -----------------------------------------------------------------------------

  /** Checks what a create or an update sets; throws the refusal, changes nothing. */
  #checkWrite(
    plan: ResourcePlan,
    state: KeyState,
    call: SandboxCall,
    body: JsonObject,
    self: StoredRecord | undefined,
    now: number,
  ): void {
    const rules = plan.rules;
    for (const [field, limit] of Object.entries(rules.maxBytes ?? {})) {
      const value = body[field];
      if (typeof value === "string" && Buffer.byteLength(value) > limit.bytes) {
        throw this.#refuse(call, limit, body);
      }
    }
    for (const [field, reference] of Object.entries(rules.references ?? {})) {
      const value = body[field];
      if (typeof value !== "string") continue;
      if (!this.#collection(state, reference.resource).byId.has(value)) {
        throw this.#refuse(call, reference, body);
      }
    }
    for (const [field, reference] of Object.entries(rules.flagMaps ?? {})) {
      const flags = body[field];
      if (!isObject(flags)) continue;
      const targets = this.#collection(state, reference.resource);
      if (Object.keys(flags).some((id) => !targets.byId.has(id))) {
        throw this.#refuse(call, reference, body);
      }
    }
    const reservedIds = rules.reservedIds;
    if (reservedIds?.ids.includes(String(body[plan.idField]))) {
      throw this.#refuse(call, reservedIds, body);
    }
    const collection = this.#collection(state, plan.name);
    for (const [field, rule] of Object.entries(rules.unique ?? {})) {
      const other = field in body ? collection.findBy(field, body[field]) : undefined;
      if (other !== undefined && other !== self) throw this.#refuse(call, rule, body);
    }
    const schedule = rules.schedule;
    const scheduling = schedule && body[schedule.field];
    if (
      schedule &&
      isObject(scheduling) &&
      typeof scheduling[schedule.timestampField] === "string"
    ) {
      const at = Date.parse(scheduling[schedule.timestampField] as string);
      if (!(at > now)) throw this.#refuse(call, schedule.notInFuture, body);
    }
  }

  #create(plan: ResourcePlan, state: KeyState, call: SandboxCall): SandboxAnswer {
    const body = this.#writable(plan, call);
    const now = this.now(call.key);
    this.#checkWrite(plan, state, call, body, undefined, now);
    return this.#insert(plan, state, call, body, now);
  }

  /** A new record from a checked body, stored once its answer is known to fit the contract. */
  #insert(
    plan: ResourcePlan,
    state: KeyState,
    call: SandboxCall,
    body: JsonObject,
    now: number,
  ): SandboxAnswer {
    const rules = plan.rules;
    const at = new Date(now).toISOString();
    const value = this.#newValue(plan, state, body, at);
    let companion: JsonObject | undefined;
    if (rules.companion !== undefined) {
      companion = this.#companionValue(plan, String(value.id), freshId(), at);
      value[rules.companion.idField] = companion.id;
    }
    const stored = inSchemaOrder(conform(value, plan.schemaPointer), plan.schemaPointer);
    const answer: JsonObject = structuredClone(stored);
    const revisionField = rules.companion?.revisionField;
    if (companion !== undefined && revisionField !== undefined) {
      const companionRevision = this.#plan(rules.companion?.resource ?? "").rules.revision;
      answer[revisionField] = companionRevision ? companion[companionRevision.field] : null;
    }
    const result = this.#answerWith(plan, call, answer);
    this.#collection(state, plan.name).add({ seq: state.nextSeq++, seed: false, value: stored });
    this.#record(plan, state, call, stored, now);
    this.emitter.changed(call.key, plan.name, undefined, stored, now);
    if (companion !== undefined && rules.companion !== undefined) {
      const companionPlan = this.#plan(rules.companion.resource);
      this.#collection(state, companionPlan.name).add({
        seq: state.nextSeq++,
        seed: false,
        value: inSchemaOrder(
          conform(companion, companionPlan.schemaPointer),
          companionPlan.schemaPointer,
        ),
      });
    }
    this.#evict(plan, state);
    return result;
  }

  /** A new record's fields: the defaults, the body, a fresh id, the times and derived fields. */
  #newValue(plan: ResourcePlan, state: KeyState, body: JsonObject, at: string): JsonObject {
    const rules = plan.rules;
    const value: JsonObject = structuredClone(rules.defaults ?? {});
    for (const [field, target] of Object.entries(rules.defaultReferences ?? {})) {
      value[field] = this.#reservedId(state, target);
    }
    Object.assign(value, structuredClone(body));
    for (const field of Object.keys(rules.flagMaps ?? {})) {
      if (isObject(body[field])) value[field] = withFlags({}, body[field]);
    }
    withoutCleared(plan, value);
    if (plan.idField === "id") value.id = freshId();
    for (const field of plan.timeFields) value[field] = at;
    for (const [field, template] of Object.entries(rules.derived ?? {})) {
      value[field] = filled(template, (name) => value[name]);
    }
    if (rules.schedule !== undefined) value[rules.schedule.statusField] = rules.schedule.draft;
    return value;
  }

  #reservedId(state: KeyState, resource: string): unknown {
    const reserved = this.#plan(resource).rules.reserved;
    if (reserved === undefined) return null;
    for (const record of this.#collection(state, resource)) {
      if (matches(record.value, reserved.match)) return record.value.id;
    }
    return null;
  }

  /** Past the cap, the oldest created records make room, with their companions. */
  #evict(plan: ResourcePlan, state: KeyState): void {
    const collection = this.#collection(state, plan.name);
    const companion = plan.rules.companion;
    while (collection.createdCount > this.#limits.recordsPerKey) {
      const oldest = collection.oldestCreated() as StoredRecord;
      collection.remove(collection.idOf(oldest.value));
      if (companion !== undefined) {
        this.#collection(state, companion.resource).remove(String(oldest.value[companion.idField]));
      }
    }
  }

  #update(plan: ResourcePlan, state: KeyState, call: SandboxCall): SandboxAnswer {
    const now = this.now(call.key);
    const record = this.#find(plan, state, call, now);
    return this.#change(plan, state, call, record, this.#writable(plan, call), now);
  }

  /** A stored record changed by a body, once every rule allows it and its answer fits. */
  #change(
    plan: ResourcePlan,
    state: KeyState,
    call: SandboxCall,
    record: StoredRecord,
    body: JsonObject,
    now: number,
  ): SandboxAnswer {
    const rules = plan.rules;
    if (rules.reserved !== undefined && matches(record.value, rules.reserved.match)) {
      throw this.#refuse(call, rules.reserved, body);
    }
    this.#checkWrite(plan, state, call, body, record, now);
    this.#checkOwner(plan, state, call, record, now);
    const revision = rules.revision;
    const next = withoutCleared(plan, merged(rules, record.value, body));
    const lock = rules.lock;
    if (lock !== undefined && matches(record.value, lock.when)) {
      const normalized = conform(structuredClone(next), plan.schemaPointer);
      const changed = Object.keys(normalized).filter(
        (field) => !lock.allow.includes(field) && !sameJson(normalized[field], record.value[field]),
      );
      if (changed.length > 0) throw this.#refuse(call, lock, body);
    }
    if (revision !== undefined) {
      const expected = body[revision.expectedField];
      if (expected !== undefined && expected !== record.value[revision.field]) {
        throw this.#refuse(call, revision, body);
      }
      next[revision.field] = freshId();
    }
    let sendAt = record.sendAt;
    const schedule = rules.schedule;
    if (schedule !== undefined && schedule.field in body) {
      const status = record.value[schedule.statusField];
      if (status === schedule.draft || status === schedule.scheduled) {
        const scheduling = next[schedule.field];
        const timestamp = isObject(scheduling) ? scheduling[schedule.timestampField] : undefined;
        sendAt = typeof timestamp === "string" ? Date.parse(timestamp) : now;
      }
    }
    const updated = this.#model.updatedField;
    if (plan.timeFields.includes(updated)) next[updated] = new Date(now).toISOString();
    const stored = inSchemaOrder(conform(next, plan.schemaPointer), plan.schemaPointer);
    const candidate: StoredRecord = { ...record, value: stored, sendAt };
    this.#settle(plan, candidate, now);
    const result = this.#answerWith(plan, call, structuredClone(candidate.value));
    const before = record.value;
    this.#collection(state, plan.name).replace(record, candidate.value);
    const published = candidate.sendAt !== record.sendAt;
    record.sendAt = candidate.sendAt;
    this.#record(plan, state, call, candidate.value, now);
    this.emitter.changed(call.key, plan.name, before, candidate.value, now);
    if (published) this.#scheduleSend(plan, call.key, record);
    return result;
  }

  /**
   * The request body as the record's fields: without those the operation logs rather than
   * writes, and under the record's names where `renames` gives one.
   */
  #writable(plan: ResourcePlan, call: SandboxCall): JsonObject {
    const body = isObject(call.body) ? call.body : {};
    const logged = call.operation.sandbox?.log ?? [];
    const renames = plan.rules.renames ?? {};
    if (logged.length === 0 && Object.keys(renames).length === 0) return body;
    return Object.fromEntries(
      Object.entries(body)
        .filter(([field]) => !logged.includes(field))
        .map(([field, value]) => [renames[field] ?? field, value]),
    );
  }

  /** The operation's `log` fields, kept in the key's log with the record they went with. */
  #record(
    plan: ResourcePlan,
    state: KeyState,
    call: SandboxCall,
    value: JsonObject,
    now: number,
  ): void {
    const logged = call.operation.sandbox?.log;
    if (logged === undefined || !isObject(call.body)) return;
    const entry: JsonObject = {
      operationId: call.operation.operationId,
      at: new Date(now).toISOString(),
      recordId: value[plan.idField] ?? null,
    };
    const body = withoutData(call.operation, call.body) as JsonObject;
    for (const field of logged) {
      if (body[field] !== undefined) entry[field] = structuredClone(body[field]);
    }
    state.log.push(entry);
    if (state.log.length > this.#limits.recordsPerKey) state.log.shift();
  }

  /** A request whose operation declares `outbox` sent a message: the outbox is told. */
  #sent(call: SandboxCall, record: JsonObject, now: number): void {
    if (call.operation.sandbox?.outbox === undefined || this.#events.sent === undefined) return;
    const body = isObject(call.body) ? call.body : {};
    this.#events.sent(call.key, { operation: call.operation, body, record, at: now });
  }

  /** The operation's declared `answer` example with the record's id, or else the record. */
  #answerWith(plan: ResourcePlan, call: SandboxCall, value: JsonObject): SandboxAnswer {
    const named = call.operation.sandbox?.answer;
    return named === undefined
      ? this.#success(call.operation, value)
      : this.#success(call.operation, this.#example(call, named, value[plan.idField]));
  }

  /** The named 200 example, its `id` (if it has one) set to `id`. */
  #example(call: SandboxCall, name: string, id: unknown): JsonObject {
    const example = successOf(call.operation).body.examples.find((e) => e.name === name);
    if (!isObject(example?.value)) {
      throw new ContractError(`${call.operation.operationId} has no 200 example ${name}`);
    }
    const value: JsonObject = structuredClone(example.value);
    if (typeof value.id === "string") value.id = id;
    return value;
  }

  /** The identifiers rule of a resource an identifier action acts on. */
  #identifiers(plan: ResourcePlan): SandboxIdentifiers {
    const identifiers = plan.rules.identifiers;
    if (identifiers === undefined) throw new ContractError(`${plan.name} declares no identifiers`);
    return identifiers;
  }

  /** The record named by exactly one identifier, from the body or the query; `undefined` if none. */
  #identified(plan: ResourcePlan, state: KeyState, call: SandboxCall): StoredRecord | undefined {
    const identifiers = this.#identifiers(plan);
    const body = isObject(call.body) ? call.body : undefined;
    const given = identifiers.fields
      .map((field) => [field, body ? body[field] : call.query.get(field)] as const)
      .filter(([, value]) => value !== undefined && value !== null);
    const [first, ...others] = given;
    if (first === undefined) throw this.#refuse(call, identifiers.none, body ?? {});
    if (others.length > 0) throw this.#refuse(call, identifiers.both, body ?? {});
    return this.#collection(state, plan.name).findBy(first[0], first[1]);
  }

  /** `find`: the record one identifier names, in an array; `[]` when none. */
  #findByIdentifier(plan: ResourcePlan, state: KeyState, call: SandboxCall): SandboxAnswer {
    const record = this.#identified(plan, state, call);
    return this.#success(call.operation, record ? [structuredClone(record.value)] : []);
  }

  /** `delete`: the record one identifier names is gone; an unknown one is the 404. */
  #delete(plan: ResourcePlan, state: KeyState, call: SandboxCall): SandboxAnswer {
    const record = this.#identified(plan, state, call);
    if (record === undefined) {
      throw this.#refuse(call, this.#notFound(plan), {});
    }
    const result = this.#answerWith(plan, call, structuredClone(record.value));
    this.#collection(state, plan.name).delete(record);
    this.emitter.changed(call.key, plan.name, record.value, undefined, this.now(call.key));
    return result;
  }

  /**
   * `send`: the record the body's `target` names, its declared variables all sent, is sent: the
   * audience record made if asked and missing, the send logged, the `answer` example answered.
   */
  #send(plan: ResourcePlan, state: KeyState, call: SandboxCall): SandboxAnswer {
    const declared = call.operation.sandbox;
    const body = isObject(call.body) ? call.body : {};
    const id = body[declared?.target ?? ""];
    const record =
      typeof id === "string" ? this.#collection(state, plan.name).byId.get(id) : undefined;
    if (record === undefined) throw this.#refuse(call, this.#notFound(plan), body);
    const variables = declared?.variables;
    if (variables !== undefined) {
      const names = record.value[variables.declared];
      const optional = record.hidden?.[variables.optional ?? ""];
      const sent = isObject(body[variables.field]) ? (body[variables.field] as JsonObject) : {};
      const missing = (Array.isArray(names) ? names : []).filter(
        (name) =>
          sent[String(name)] === undefined && !(Array.isArray(optional) && optional.includes(name)),
      );
      if (missing.length > 0) {
        throw this.#refuse(call, variables.missing, { ...body, missing: missing.join(", ") });
      }
    }
    const now = this.now(call.key);
    const result = this.#answerWith(plan, call, record.value);
    const audience = declared?.audience;
    if (audience !== undefined && body[audience.when] === true) {
      this.#ensureRecord(this.#plan(audience.resource), state, call.key, audience.field, body, now);
    }
    this.#record(plan, state, call, record.value, now);
    this.#sent(call, record.value, now);
    // The send's webhooks are about the audience's record it went to: none for an address no
    // record has (sandbox: Loops does not say what it sends then).
    const recipient =
      audience &&
      this.#collection(state, audience.resource).findBy(audience.field, body[audience.field]);
    if (audience !== undefined && recipient !== undefined) {
      this.emitter.sent(
        call.key,
        plan.name,
        record.value,
        { [audience.resource]: recipient.value },
        now,
      );
    }
    return result;
  }

  /** A record of `plan` whose `field` is the body's, made from it if none has it. */
  #ensureRecord(
    plan: ResourcePlan,
    state: KeyState,
    key: string,
    field: string,
    body: JsonObject,
    now: number,
  ): void {
    const collection = this.#collection(state, plan.name);
    if (collection.findBy(field, body[field]) !== undefined) return;
    const value = this.#newValue(
      plan,
      state,
      { [field]: body[field] },
      new Date(now).toISOString(),
    );
    const stored = inSchemaOrder(conform(value, plan.schemaPointer), plan.schemaPointer);
    collection.add({ seq: state.nextSeq++, seed: false, value: stored });
    this.#evict(plan, state);
    this.emitter.changed(key, plan.name, undefined, stored, now);
  }

  #flagRule(plan: ResourcePlan): NonNullable<SandboxResource["flag"]> {
    const flag = plan.rules.flag;
    if (flag === undefined) throw new ContractError(`${plan.name} declares no flag`);
    return flag;
  }

  /** The lifts left in the rolling window, the spent ones outside it forgotten. */
  #liftsLeft(plan: ResourcePlan, state: KeyState, now: number): JsonObject {
    const flag = this.#flagRule(plan);
    const since = now - flag.days * 24 * 60 * 60 * 1000;
    const lifts = (state.lifts.get(plan.name) ?? []).filter((at) => at > since);
    state.lifts.set(plan.name, lifts);
    const remaining = Math.max(0, flag.limit - lifts.length);
    return { [flag.limitField]: flag.limit, [flag.remainingField]: remaining };
  }

  /** The flagged (or named) record one identifier names; an unknown one is the 404. */
  #flaggable(plan: ResourcePlan, state: KeyState, call: SandboxCall): StoredRecord {
    const record = this.#identified(plan, state, call);
    if (record === undefined) throw this.#refuse(call, this.#notFound(plan), {});
    return record;
  }

  /** `flagStatus`: whether the record carries the flag, its identity, and the lifts left. */
  #flagStatus(plan: ResourcePlan, state: KeyState, call: SandboxCall): SandboxAnswer {
    const flag = this.#flagRule(plan);
    const record = this.#flaggable(plan, state, call);
    const value = this.#example(call, call.operation.sandbox?.answer ?? "", undefined);
    const identity = isObject(value[flag.recordField]) ? value[flag.recordField] : {};
    value[flag.recordField] = Object.fromEntries(
      Object.keys(identity as JsonObject).map((field) => [field, record.value[field] ?? null]),
    );
    value[flag.statusField] = record.flagged === true;
    value[flag.quotaField] = this.#liftsLeft(plan, state, this.now(call.key));
    return this.#success(call.operation, value);
  }

  /** `unflag`: the flag is lifted, spending one lift; none left, or no flag, is refused. */
  #unflag(plan: ResourcePlan, state: KeyState, call: SandboxCall): SandboxAnswer {
    const flag = this.#flagRule(plan);
    const record = this.#flaggable(plan, state, call);
    if (record.flagged !== true) throw this.#refuse(call, flag.notFlagged, {});
    const now = this.now(call.key);
    const left = this.#liftsLeft(plan, state, now);
    if (left[flag.remainingField] === 0) throw this.#refuse(call, flag.quotaUsed, {});
    const value = this.#example(call, call.operation.sandbox?.answer ?? "", undefined);
    value[flag.quotaField] = {
      ...left,
      [flag.remainingField]: (left[flag.remainingField] as number) - 1,
    };
    const result = this.#success(call.operation, value);
    record.flagged = false;
    state.lifts.get(plan.name)?.push(now);
    return result;
  }

  /**
   * `upsert`: the record any identifier names is changed; with none, one is created if the body
   * has the identifier a create needs, else `unknown`. Identifiers naming two records: `ambiguous`.
   */
  #upsert(plan: ResourcePlan, state: KeyState, call: SandboxCall): SandboxAnswer {
    const declared = call.operation.sandbox;
    const identifiers = this.#identifiers(plan);
    const body = isObject(call.body) ? call.body : {};
    const collection = this.#collection(state, plan.name);
    const matches = new Set<StoredRecord>();
    let given = 0;
    for (const field of identifiers.fields) {
      if (body[field] === undefined || body[field] === null) continue;
      given += 1;
      const record = collection.findBy(field, body[field]);
      if (record !== undefined) matches.add(record);
    }
    if (given === 0) throw this.#refuse(call, identifiers.none, body);
    if (declared?.unknown === undefined || declared.ambiguous === undefined) {
      throw new ContractError(`${call.operation.operationId} upserts without its refusals`);
    }
    if (matches.size > 1) throw this.#refuse(call, declared.ambiguous, body);
    const now = this.now(call.key);
    const writable = this.#writable(plan, call);
    const [found] = matches;
    if (found !== undefined) return this.#change(plan, state, call, found, writable, now);
    if (body[identifiers.creates] === undefined) throw this.#refuse(call, declared.unknown, body);
    this.#checkWrite(plan, state, call, writable, undefined, now);
    return this.#insert(plan, state, call, writable, now);
  }

  /** While the record's owner does not match `ownerLock.unless`, its updates are refused. */
  #checkOwner(
    plan: ResourcePlan,
    state: KeyState,
    call: SandboxCall,
    record: StoredRecord,
    now: number,
  ): void {
    const ownerLock = plan.rules.ownerLock;
    if (ownerLock === undefined) return;
    const ownerId = record.value[ownerLock.ownerField];
    const ownerPlan = this.#plan(ownerLock.resource);
    const owner =
      typeof ownerId === "string"
        ? this.#collection(state, ownerPlan.name).byId.get(ownerId)
        : undefined;
    if (owner === undefined) return;
    this.#settle(ownerPlan, owner, now);
    if (!matches(owner.value, ownerLock.unless)) {
      throw this.#refuse(call, ownerLock, isObject(call.body) ? call.body : {});
    }
  }

  #inspect(plan: ResourcePlan, state: KeyState, call: SandboxCall): SandboxAnswer {
    const declared = call.operation.sandbox;
    const now = this.now(call.key);
    const record = this.#find(plan, state, call, now);
    const quota = declared?.dailyQuota;
    let spend: (() => void) | undefined;
    if (quota !== undefined) {
      const day = new Date(now).toISOString().slice(0, 10);
      const id = call.operation.operationId;
      const used = state.quota.get(id);
      const count = used?.day === day ? used.used : 0;
      if (count >= quota.limit) throw this.#refuse(call, quota, {});
      spend = () => state.quota.set(id, { day, used: count + 1 });
    }
    const value = this.#example(call, declared?.answer ?? "", record.value.id);
    const result = this.#success(call.operation, value);
    spend?.();
    this.#sent(call, record.value, now);
    return result;
  }

  /**
   * A list that takes the per-page parameter answers a page in the contract's envelope; any other
   * answers every record, as a bare array. Either way newest first.
   */
  #list(plan: ResourcePlan, state: KeyState, call: SandboxCall): SandboxAnswer {
    const pagination = this.#model.pagination;
    const collection = this.#collection(state, plan.name);
    const now = this.now(call.key);
    const paged = call.operation.queryParameters.find(
      (parameter) => parameter.name === pagination.perPageParameter,
    );
    if (paged === undefined) {
      const { items } = this.#newestFirst(plan, collection, collection.size - 1, Infinity, now);
      const builtIn = plan.rules.builtIn;
      const ownOnly = builtIn && call.query.get(builtIn.parameter) === builtIn.value;
      return this.#success(
        call.operation,
        ownOnly ? items.filter((item) => !builtIn.ids.includes(String(item[plan.idField]))) : items,
      );
    }
    const asked = call.query.get(pagination.perPageParameter);
    const perPage = asked === null ? Number(paged.schema.default ?? 20) : Number(asked);
    const cursor = call.query.get(pagination.cursorParameter);
    let start = collection.size - 1;
    if (cursor !== null) {
      const match = cursorPattern.exec(cursor);
      if (match === null) throw this.#refuse(call, pagination.invalidCursor, {});
      start = collection.indexAtOrBefore(Number.parseInt(match[1] as string, 36));
    }
    const { items, next } = this.#newestFirst(plan, collection, start, perPage, now);
    let nextPage: string | null = null;
    if (next !== null) {
      const url = new URL(call.url.pathname, call.url.origin);
      url.searchParams.set(pagination.perPageParameter, String(perPage));
      url.searchParams.set(pagination.cursorParameter, next);
      nextPage = url.href;
    }
    const total = collection.size;
    const figures: Record<keyof SandboxPagination["pageFields"], unknown> = {
      totalResults: total,
      returnedResults: items.length,
      perPage,
      totalPages: Math.ceil(total / perPage),
      nextCursor: next,
      nextPage,
    };
    return this.#success(call.operation, envelope(pagination, figures, items));
  }

  /** Up to `count` records from position `start` back, settled, and the cursor after them. */
  #newestFirst(
    plan: ResourcePlan,
    collection: Collection,
    start: number,
    count: number,
    now: number,
  ): { items: JsonObject[]; next: string | null } {
    const items: JsonObject[] = [];
    let index = start;
    for (; index >= 0 && items.length < count; index -= 1) {
      const record = collection.at(index);
      this.#settle(plan, record, now);
      items.push(structuredClone(record.value));
    }
    return { items, next: index >= 0 ? `p${collection.at(index).seq.toString(36)}` : null };
  }
}
