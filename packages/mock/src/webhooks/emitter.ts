// Which webhooks a change of the sandbox's state emits, and what their payloads hold, read from
// the contract's `x-sandbox` on each webhook (spec/SANDBOX.md): nothing here names an event, a
// resource or a field. Every payload is checked against its schema before it is handed on.
import {
  webhooks as contractWebhooks,
  type JsonObject,
  resolve,
  type SandboxChange,
  type SandboxValue,
  type SandboxWebhook,
  validatorAt,
  type Webhook,
} from "@loops-contract/spec";
import { isObject } from "@loops-contract/spec/json";
import { freshId } from "../coherent.js";
import { explainFaults } from "../faults.js";
import type { OutboxKind } from "../operation-ids.gen.js";
import type { SentMessageEntry } from "../outbox.js";
import type { WebhookDelivery, WebhookDispatcher } from "./dispatcher.js";
import type { KeyScheduler } from "./scheduler.js";

/** An event's records by resource name, and what the vocabulary's `$` names hold. */
export type EventContext = Record<string, unknown>;

/** What the sandbox tells the emitter about its records. */
export interface EmitterHost {
  /** The record with what it names: its companion and the records its references point at. */
  around(key: string, resource: string, value: JsonObject): EventContext;
  /** The record an id in a flag map names, under its resource's name (a contact's list). */
  flagged(key: string, resource: string, field: string, id: string): EventContext;
  /** The records an `audience` rule picks for a changed record. */
  audience(
    key: string,
    rule: NonNullable<SandboxChange["audience"]>,
    value: JsonObject,
  ): JsonObject[];
  /** Sets fields on a record, as an update would (with the changes that emits), at a time. */
  apply(key: string, resource: string, value: JsonObject, fields: JsonObject, at: number): void;
  /** A message an event stands for, as its webhook's `outbox` declares: the key's outbox is told. */
  outbox(key: string, entry: SentMessageEntry): void;
}

type OutboxDeclaration = NonNullable<SandboxWebhook["outbox"]>;

/** A trigger naming no webhook, or a payload that does not fit; the message says which. */
export class WebhookTriggerError extends TypeError {
  override name = "WebhookTriggerError";
}

/** Domains reserved for examples (RFC 2606): only their addresses reach the test outcomes. */
const exampleDomains = /(^|\.)(example\.(com|net|org)|example|test)$/i;

/** The local part of an address at an example domain, without a `+label`; `undefined` elsewhere. */
function testLocalPart(address: unknown): string | undefined {
  if (typeof address !== "string") return undefined;
  const at = address.lastIndexOf("@");
  if (at < 0 || !exampleDomains.test(address.slice(at + 1))) return undefined;
  return address.slice(0, at).split("+")[0]?.toLowerCase();
}

function pathValue(context: EventContext, path: string): unknown {
  let value: unknown = context;
  for (const part of path.split(".")) {
    value = isObject(value) ? value[part] : undefined;
    if (value === undefined) return undefined;
  }
  return value;
}

/** A payload declaration filled in from the context; a path that leads nowhere leaves its field out. */
function evaluate(value: SandboxValue, context: EventContext): unknown {
  if (typeof value === "string") return structuredClone(pathValue(context, value));
  if ("const" in value) return structuredClone(value.const);
  if ("freshId" in value) return freshId();
  if ("firstOf" in value && Array.isArray(value.firstOf)) {
    const found = value.firstOf.map((path) => pathValue(context, path));
    return structuredClone(
      found.find((entry) => entry !== undefined && entry !== null && entry !== ""),
    );
  }
  if ("listOf" in value && typeof value.listOf === "string") {
    const entry = pathValue(context, value.listOf);
    return entry === undefined || entry === null ? [] : [structuredClone(entry)];
  }
  const object: JsonObject = {};
  for (const [field, entry] of Object.entries(value)) {
    const filled = evaluate(entry as SandboxValue, context);
    if (filled !== undefined) object[field] = filled;
  }
  return object;
}

/** The top-level fields a payload schema fixes (`const`), through its `allOf`s. */
function constantsOf(pointer: string, found: JsonObject = {}): JsonObject {
  const { pointer: at, node } = resolve(pointer);
  const properties = isObject(node.properties) ? node.properties : {};
  for (const field of Object.keys(properties)) {
    const property = resolve(`${at}/properties/${field}`).node;
    if ("const" in property) found[field] = property.const;
  }
  const parts = Array.isArray(node.allOf) ? node.allOf : [];
  for (let index = 0; index < parts.length; index += 1) constantsOf(`${at}/allOf/${index}`, found);
  return found;
}

/** The event's records with `$now`, the key's clock in Unix seconds. */
function withTime(context: EventContext, at: number): EventContext {
  return { ...context, $now: Math.floor(at / 1000) };
}

/** The outbox entry an event's records make, as the webhook's `outbox` declares it. */
function outboxEntry(
  declared: OutboxDeclaration,
  context: EventContext,
  at: number,
): SentMessageEntry {
  const address = pathValue(context, declared.to);
  return {
    kind: declared.kind as OutboxKind,
    operationId: null,
    at: new Date(at).toISOString(),
    to: address === undefined || address === null ? [] : [String(address)],
    ...(evaluate(declared.fields ?? {}, withTime(context, at)) as JsonObject),
  };
}

interface Plan {
  webhook: Webhook;
  constants: JsonObject;
}

export class WebhookEmitter {
  readonly #plans: Plan[];
  /** The plans whose events are outbox entries: made whether or not a webhook goes anywhere. */
  readonly #outboxPlans: Plan[];
  /** Per webhook key, the webhooks that follow it. */
  readonly #followers = new Map<string, Plan[]>();

  constructor(
    readonly dispatcher: WebhookDispatcher,
    readonly scheduler: KeyScheduler,
    readonly host: EmitterHost,
    webhooks: readonly Webhook[] = contractWebhooks,
  ) {
    this.#plans = webhooks.map((webhook) => ({
      webhook,
      constants: constantsOf(webhook.schemaPointer),
    }));
    this.#outboxPlans = this.#plans.filter(({ webhook }) => webhook.sandbox?.outbox !== undefined);
    for (const plan of this.#plans) {
      for (const followed of plan.webhook.sandbox?.follows ?? []) {
        this.#followers.set(followed, [...(this.#followers.get(followed) ?? []), plan]);
      }
    }
  }

  /**
   * A record of `resource` changed at `at` (`before` undefined: created; `after` undefined:
   * deleted): the webhooks whose `on` matches are emitted, in the contract's order.
   */
  changed(
    key: string,
    resource: string,
    before: JsonObject | undefined,
    after: JsonObject | undefined,
    at: number,
  ): void {
    const plans = this.#active(key);
    const value = after ?? before;
    if (plans.length === 0 || value === undefined) return;
    for (const plan of plans) {
      for (const rule of plan.webhook.sandbox?.on ?? []) {
        if (rule.resource !== resource) continue;
        for (const extra of this.#matches(key, rule, before, after)) {
          this.#each(key, plan, rule, { ...this.host.around(key, resource, value), ...extra }, at);
        }
      }
    }
  }

  /** A `send` operation sent a record of `resource` to the record `audience` names. */
  sent(key: string, resource: string, value: JsonObject, audience: EventContext, at: number): void {
    for (const plan of this.#active(key)) {
      for (const rule of plan.webhook.sandbox?.on ?? []) {
        if (rule.resource !== resource || rule.change !== "sent") continue;
        this.#each(key, plan, rule, { ...this.host.around(key, resource, value), ...audience }, at);
      }
    }
  }

  /** Whether a change of a record of `resource` would emit a webhook or write an outbox entry now. */
  listens(key: string, resource: string): boolean {
    return this.#active(key).some(({ webhook }) =>
      (webhook.sandbox?.on ?? []).some((rule) => rule.resource === resource),
    );
  }

  /** The plans a change of the key's records acts on: all while its webhooks go somewhere. */
  #active(key: string): readonly Plan[] {
    return this.dispatcher.hasTarget(key) ? this.#plans : this.#outboxPlans;
  }

  /**
   * Sends one webhook, named by its key or its `eventName`, with its first example or the given
   * payload, checked against its schema; nothing follows it. `undefined` when it goes nowhere.
   */
  trigger(key: string, event: string, payload?: unknown): WebhookDelivery | undefined {
    const plan = this.#plans.find(
      ({ webhook }) => webhook.key === event || webhook.eventName === event,
    );
    if (plan === undefined) {
      const names = this.#plans.map(({ webhook }) => webhook.eventName).join(", ");
      throw new WebhookTriggerError(
        `event: no webhook ${JSON.stringify(event)}; there are ${names}.`,
      );
    }
    const body = payload ?? Object.values(plan.webhook.examples)[0];
    const faults = explainFaults(plan.webhook.schemaPointer, body, "payload");
    if (faults.length > 0) {
      throw new WebhookTriggerError(
        `Invalid ${plan.webhook.eventName} payload: ${faults.join("; ")}.`,
      );
    }
    const delivery = this.dispatcher.emit(key, body as JsonObject, this.scheduler.clock(key));
    this.scheduler.runDue(key);
    return delivery;
  }

  /** For each change the rule sees, what it adds to the event's records (an id of a flag map). */
  #matches(
    key: string,
    rule: SandboxChange,
    before: JsonObject | undefined,
    after: JsonObject | undefined,
  ): EventContext[] {
    switch (rule.change) {
      case "created":
        return before === undefined ? [{}] : [];
      case "deleted":
        return after === undefined ? [{}] : [];
      case "set": {
        const field = rule.field ?? "";
        const turned =
          after !== undefined && after[field] === rule.to && before?.[field] !== rule.to;
        return turned && before !== undefined ? [{}] : [];
      }
      case "flagAdded":
      case "flagRemoved": {
        // A record's flags change by a create or an update; a delete emits its own events only.
        if (after === undefined) return [];
        const field = rule.field ?? "";
        const flags = (value: JsonObject | undefined) =>
          new Set(isObject(value?.[field]) ? Object.keys(value[field] as JsonObject) : []);
        const [from, to] = rule.change === "flagAdded" ? [before, after] : [after, before];
        const had = flags(from);
        const ids = [...flags(to)].filter((id) => !had.has(id));
        return ids.map((id) => this.host.flagged(key, rule.resource, field, id));
      }
      default:
        return [];
    }
  }

  /** One event, or one per record of the rule's audience: the outbox and the webhook share it. */
  #each(key: string, plan: Plan, rule: SandboxChange, context: EventContext, at: number): void {
    if (rule.audience === undefined) {
      this.#occur(key, plan, context, at);
      return;
    }
    const value = context[rule.resource] as JsonObject;
    for (const member of this.host.audience(key, rule.audience, value)) {
      this.#occur(key, plan, { ...context, [rule.audience.resource]: member }, at);
    }
  }

  /** An event: the message it stands for written to the outbox, if declared; the webhook emitted. */
  #occur(key: string, plan: Plan, context: EventContext, at: number): void {
    const outbox = plan.webhook.sandbox?.outbox;
    if (outbox !== undefined) this.host.outbox(key, outboxEntry(outbox, context, at));
    this.#emit(key, plan, context, at);
  }

  /** The payload made, checked and handed on; then what follows it scheduled, what it sets set. */
  #emit(key: string, plan: Plan, context: EventContext, at: number): void {
    const declared = plan.webhook.sandbox;
    if (declared === undefined || !this.dispatcher.hasTarget(key)) return;
    const timed = withTime(context, at);
    const payload = { ...plan.constants, ...(evaluate(declared.payload, timed) as JsonObject) };
    const validate = validatorAt(plan.webhook.schemaPointer);
    if (!validate(payload)) {
      const faults = explainFaults(plan.webhook.schemaPointer, payload, "payload");
      throw new Error(
        `The sandbox's ${plan.webhook.eventName} does not fit the contract: ${faults.join("; ")}`,
      );
    }
    this.dispatcher.emit(key, payload, at);
    const followed = {
      ...context,
      $event: payload,
      $source: declared.source && evaluate(declared.source, timed),
    };
    for (const follower of this.#followers.get(plan.webhook.key) ?? []) {
      if (!this.#reaches(follower, followed)) continue;
      const after = follower.webhook.sandbox?.after ?? 0;
      this.scheduler.at(key, at + after, (due) => this.#emit(key, follower, followed, due));
    }
    const sets = declared.sets;
    const record = sets && context[sets.resource];
    if (sets !== undefined && isObject(record)) {
      this.host.apply(key, sets.resource, record, sets.fields, at);
    }
  }

  /** Whether a follower's `recipients` take the event's address. */
  #reaches(follower: Plan, context: EventContext): boolean {
    const recipients = follower.webhook.sandbox?.recipients;
    if (recipients === undefined) return true;
    const local = testLocalPart(pathValue(context, recipients.address));
    if (recipients.only !== undefined)
      return local !== undefined && recipients.only.includes(local);
    return local === undefined || !(recipients.except ?? []).includes(local);
  }
}
