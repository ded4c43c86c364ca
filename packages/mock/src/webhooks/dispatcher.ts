// Webhook deliveries per API key, on the key's clock: one ordered stream per key, at most
// `perSecond` attempts a second, each event signed and handed to the listeners in this process and
// posted to the key's endpoint through the function the adapter injects. A failed post is retried
// on the key's clock, and the events after it wait: a handler sees each key's events in order.
import type { JsonObject } from "@loops-contract/spec";
import type { KeyScheduler } from "./scheduler.js";
import { derivedSecret, messageId, mockSecret, secretBytes, signedHeaders } from "./signing.js";

/** One signed event as it leaves: what an endpoint receives, handed to a listener as it is. */
export interface WebhookMessage {
  /** The API key whose sandbox emitted it. */
  apiKey: string;
  /** `webhook-id`, `webhook-timestamp`, `webhook-signature` and `content-type`. */
  headers: Record<string, string>;
  /** The raw body the signature covers. */
  body: string;
  /** The body, parsed: a copy of its own for each listener. */
  event: JsonObject;
}

/** Called with each event as it is delivered; a throw or a rejection is recorded, not retried. */
export type WebhookListener = (message: WebhookMessage) => void | Promise<void>;

/** How an adapter sends an HTTP request: global `fetch`, or under MSW one MSW lets through. */
export type SendRequest = (request: Request) => Promise<Response>;

export interface WebhookAttempt {
  /** When it was made, on the key's clock. */
  at: string;
  /** The endpoint's status, or `null` when it gave none. */
  status: number | null;
  /** Why it failed, or `null` when it succeeded. */
  error: string | null;
}

export interface WebhookDelivery {
  /** The message id, sent as `webhook-id` on every attempt. */
  id: string;
  eventName: string;
  /** When the sandbox emitted it, on the key's clock. */
  emittedAt: string;
  /** `pending` until delivered, given up (`failed`), or left with nowhere to go (`dropped`). */
  status: "pending" | "delivered" | "failed" | "dropped";
  /** Why it was dropped: no endpoint or listener left, or a full queue. */
  reason: string | null;
  /** When it was first sent (to the listeners and the endpoint), on the key's clock. */
  sentAt: string | null;
  /** The endpoint of its last attempt; `null` when it had none. */
  endpoint: string | null;
  /** How many listeners it was handed to, and what the first that threw said. */
  listeners: number;
  listenerError: string | null;
  attempts: WebhookAttempt[];
  /** The next attempt's time on the key's clock, while one is due. */
  nextAttemptAt: string | null;
  body: string;
}

/**
 * Told of each step of a delivery, once made: an attempt at the endpoint (`attempt`), a hand-off
 * to the listeners alone or a drop (`attempt` null). The delivery is as that step left it.
 */
export type DeliveryReport = (
  key: string,
  delivery: WebhookDelivery,
  attempt: WebhookAttempt | null,
) => void;

/** The sandbox's delivery rules: Loops' rate, and the sandbox's own retry schedule. */
export interface DeliveryPolicy {
  /** Attempts per second per key. */
  perSecond: number;
  /** Milliseconds on the key's clock from a failed attempt to the next; its length caps the retries. */
  retryDelays: readonly number[];
  /** Milliseconds of wall time an endpoint has to answer. */
  timeout: number;
}

/**
 * The sandbox's policy (Loops documents 10 events a second, not its retries): Svix's schedule,
 * the Standard Webhooks reference's, after the first attempt: 5 seconds, 5 minutes, 30 minutes,
 * 2, 5, 10 and 10 hours, on the key's clock; an endpoint has 15 seconds of wall time to answer.
 */
export const defaultDeliveryPolicy: DeliveryPolicy = {
  perSecond: 10,
  retryDelays: [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000],
  timeout: 15_000,
};

export interface WebhookSettings {
  /** The endpoint of every key that sets none of its own. */
  url?: string | undefined;
  /** The secret of every key; without it each key has its own, derived. */
  secret?: string | undefined;
  /** Milliseconds an endpoint has to answer. */
  timeout?: number | undefined;
}

interface Pending {
  record: WebhookDelivery;
  /** The earliest time of its next attempt, on the key's clock. */
  nextAt: number;
}

interface KeyOutbox {
  queue: Pending[];
  head: number;
  /** The time of the last attempt, on the key's clock: the next is at least a slot later. */
  lastAttemptAt: number;
  /** An attempt is scheduled or in flight: the stream moves one event at a time. */
  busy: boolean;
  inFlight: boolean;
  records: WebhookDelivery[];
  waiters: Array<() => void>;
}

/** An endpoint setting that is no http(s) URL; the message names the setting. */
export class WebhookEndpointError extends TypeError {
  override name = "WebhookEndpointError";
}

/** The URL of an endpoint setting, http or https only. */
export function endpointUrl(value: unknown, where: string): URL {
  let url: URL | undefined;
  try {
    url = typeof value === "string" ? new URL(value) : undefined;
  } catch {}
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new WebhookEndpointError(
      `${where} must be an http or https URL, such as http://127.0.0.1:3000/webhooks; got ${JSON.stringify(value)}.`,
    );
  }
  return url;
}

/** Up to this much of an endpoint's answer is read (so its connection is kept), the rest dropped. */
const answerBytesRead = 64 * 1024;

async function drain(response: Response): Promise<void> {
  const reader = response.body?.getReader();
  if (reader === undefined) return;
  let read = 0;
  while (read <= answerBytesRead) {
    const { done, value } = await reader.read();
    if (done) return;
    read += value.byteLength;
  }
  await reader.cancel();
}

function errorText(error: unknown, timeout: number): string {
  if (error instanceof DOMException && error.name === "TimeoutError") {
    return `no answer within ${timeout} ms`;
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return `no answer: ${cause instanceof Error ? cause.message : String(cause)}`;
}

const iso = (at: number) => new Date(at).toISOString();

// Taken when the module loads, before a test fakes timers: a flush waits in wall time, and faked
// timers that nobody advances would hold it for ever.
const wallTimer = globalThis.setTimeout;
const pause = (ms: number) => new Promise<void>((resolve) => wallTimer(resolve, ms));

export interface FlushOptions {
  /** Milliseconds of wall time to wait at most; default: 2 s and 100 ms per queued delivery, at most 30 s. */
  timeout?: number | undefined;
}

/** A flush's longest wait by default: 2 s, and 100 ms per queued delivery (10 a second), at most 30 s. */
const flushTimeouts = { base: 2_000, perDelivery: 100, most: 30_000 } as const;

/** The wall time a flush of `queued` deliveries may take: `timeout`, checked, or the default. */
function flushTimeout(queued: number, timeout: number | undefined): number {
  if (timeout === undefined) {
    return Math.min(flushTimeouts.base + queued * flushTimeouts.perDelivery, flushTimeouts.most);
  }
  if (typeof timeout !== "number" || !(timeout >= 0 && timeout < 2 ** 31)) {
    throw new TypeError(
      `flushWebhooks: timeout must be a number of milliseconds from 0 to ${2 ** 31 - 1}, got ${String(timeout)}.`,
    );
  }
  return timeout;
}

/**
 * A key's queue holds at most this many deliveries per record it may keep (100,000 by default):
 * a campaign to every contact of a full key fits twice over, an endpoint down for days does not
 * grow it without end.
 */
const queuedPerRecord = 10;

export class WebhookDispatcher {
  readonly #outboxes = new Map<string, KeyOutbox>();
  readonly #endpoints = new Map<string, URL>();
  readonly #listeners = new Set<WebhookListener>();
  readonly #defaultEndpoint: URL | undefined;
  readonly #secret: Uint8Array | undefined;
  readonly #mockSecret = mockSecret();
  /** The secret every key was given, if any. */
  readonly #givenSecret: string | undefined;
  readonly policy: DeliveryPolicy;

  constructor(
    readonly scheduler: KeyScheduler,
    readonly wallTime: () => number,
    readonly send: SendRequest,
    readonly limits: { keys: number; recordsPerKey: number },
    settings: WebhookSettings,
    readonly report: DeliveryReport,
  ) {
    const { timeout } = settings;
    if (
      timeout !== undefined &&
      !(typeof timeout === "number" && timeout > 0 && timeout < 2 ** 31)
    ) {
      throw new TypeError(
        `webhookTimeout must be a number of milliseconds above 0, got ${String(timeout)}.`,
      );
    }
    this.policy = { ...defaultDeliveryPolicy, timeout: timeout ?? defaultDeliveryPolicy.timeout };
    this.#defaultEndpoint =
      settings.url === undefined ? undefined : endpointUrl(settings.url, "webhookUrl");
    this.#secret =
      settings.secret === undefined ? undefined : secretBytes(settings.secret, "webhookSecret");
    this.#givenSecret = settings.secret;
  }

  /** The key's signing secret: the one every key was given, else its own. */
  secret(key: string): string {
    return this.#givenSecret ?? derivedSecret(this.#mockSecret, key);
  }

  /** The key's endpoint, its own or every key's; `undefined` when it has none. */
  endpoint(key: string): string | undefined {
    return (this.#endpoints.get(key) ?? this.#defaultEndpoint)?.href;
  }

  /**
   * Sets (or, with `null`, removes) the key's own endpoint. Bounded like fixtures: endpoints for
   * at most `limits.keys` keys.
   */
  setEndpoint(key: string, url: string | null): void {
    if (url === null) {
      this.#endpoints.delete(key);
      return;
    }
    const parsed = endpointUrl(url, "The webhook endpoint");
    if (!this.#endpoints.has(key) && this.#endpoints.size >= this.limits.keys) {
      throw new WebhookEndpointError(
        `Webhook endpoints are kept for at most ${this.limits.keys} API keys (limits.keys); give webhookUrl for every key instead.`,
      );
    }
    this.#endpoints.set(key, parsed);
  }

  onWebhook(listener: WebhookListener): () => void {
    if (typeof listener !== "function") {
      throw new TypeError("onWebhook takes a function, called with each webhook delivered.");
    }
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** Whether an event emitted for the key now would go anywhere. */
  hasTarget(key: string): boolean {
    return this.#listeners.size > 0 || this.endpoint(key) !== undefined;
  }

  /**
   * Queues an event emitted at `at` on the key's clock; with no endpoint and no listener it is not
   * kept at all. Returns its delivery record, or `undefined` when it goes nowhere.
   */
  emit(key: string, event: JsonObject, at: number): WebhookDelivery | undefined {
    if (!this.hasTarget(key)) return undefined;
    const outbox = this.#outbox(key);
    const record: WebhookDelivery = {
      id: messageId(),
      eventName: String(event.eventName),
      emittedAt: iso(at),
      status: "pending",
      reason: null,
      sentAt: null,
      endpoint: null,
      listeners: 0,
      listenerError: null,
      attempts: [],
      nextAttemptAt: iso(at),
      body: JSON.stringify(event),
    };
    outbox.records.push(record);
    if (outbox.records.length > this.limits.recordsPerKey) outbox.records.shift();
    if (outbox.queue.length - outbox.head >= this.limits.recordsPerKey * queuedPerRecord) {
      record.status = "dropped";
      record.reason = `${outbox.queue.length - outbox.head} deliveries were waiting already`;
      record.nextAttemptAt = null;
      this.report(key, record, null);
      return record;
    }
    outbox.queue.push({ record, nextAt: at });
    this.#next(key, outbox);
    return record;
  }

  /** The key's deliveries, oldest first (the last `limits.recordsPerKey`). */
  deliveries(key: string): WebhookDelivery[] {
    return structuredClone(this.#outboxes.get(key)?.records ?? []);
  }

  /** Resolves once nothing due on the key's clock waits to be delivered or is in flight. */
  settled(key: string): Promise<void> {
    this.scheduler.runDue(key);
    const outbox = this.#outboxes.get(key);
    if (outbox === undefined || this.#idle(key, outbox)) return Promise.resolve();
    return new Promise((resolve) => outbox.waiters.push(resolve));
  }

  /**
   * Resolves once the key's due deliveries are made and those waiting only for the 10-a-second
   * spacing too, the spacing waited out in wall time; not those waiting for a retry, nor those
   * behind one. At most `timeout` ms of wall time (default: `flushTimeout` of its queue), after
   * which what is left stays pending.
   */
  async flush(key: string, timeout?: number): Promise<void> {
    const longest = flushTimeout(this.#queued(key), timeout);
    let expired = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = wallTimer(() => {
        expired = true;
        resolve();
      }, longest);
    });
    try {
      for (;;) {
        await Promise.race([this.settled(key), deadline]);
        const wait = expired ? undefined : this.#spacingWait(key);
        if (wait === undefined) return;
        const before = this.scheduler.clock(key);
        await Promise.race([pause(wait), deadline]);
        // A `now` option that stands still: only advanceClock moves the key's clock.
        if (this.scheduler.clock(key) === before) return;
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** `flush` for every key at once, each with its own default timeout. */
  async flushAll(timeout?: number): Promise<void> {
    if (timeout !== undefined) flushTimeout(0, timeout); // refused even when no key has a queue
    await Promise.all([...this.#outboxes.keys()].map((key) => this.flush(key, timeout)));
  }

  /** Forgets one key's queue and records (or every key's); endpoints and listeners stay. */
  forget(key?: string): void {
    const keys = key === undefined ? [...this.#outboxes.keys()] : [key];
    for (const each of keys) {
      const outbox = this.#outboxes.get(each);
      this.#outboxes.delete(each);
      for (const resolve of outbox?.waiters ?? []) resolve();
    }
  }

  #outbox(key: string): KeyOutbox {
    let outbox = this.#outboxes.get(key);
    if (outbox === undefined) {
      outbox = {
        queue: [],
        head: 0,
        lastAttemptAt: -Infinity,
        busy: false,
        inFlight: false,
        records: [],
        waiters: [],
      };
      this.#outboxes.set(key, outbox);
    }
    return outbox;
  }

  #idle(key: string, outbox: KeyOutbox): boolean {
    if (outbox.inFlight) return false;
    const head = outbox.queue[outbox.head];
    return head === undefined || this.#slot(outbox, head) > this.scheduler.clock(key);
  }

  /** How many deliveries wait in the key's queue, the head included. */
  #queued(key: string): number {
    const outbox = this.#outboxes.get(key);
    return outbox === undefined ? 0 : outbox.queue.length - outbox.head;
  }

  /**
   * Milliseconds of the key's clock until its head's attempt, when the spacing alone holds it
   * back; `undefined` when nothing does (no head, or one waiting for a retry).
   */
  #spacingWait(key: string): number | undefined {
    const outbox = this.#outboxes.get(key);
    const head = outbox?.queue[outbox.head];
    const now = this.scheduler.clock(key);
    if (outbox === undefined || head === undefined || head.nextAt > now) return undefined;
    return Math.max(this.#slot(outbox, head) - now, 0);
  }

  /** The head's attempt time: when it is due, and a slot after the last attempt. */
  #slot(outbox: KeyOutbox, pending: Pending): number {
    return Math.max(pending.nextAt, outbox.lastAttemptAt + 1000 / this.policy.perSecond);
  }

  /** Schedules the head's attempt, unless one is under way; wakes those waiting when idle. */
  #next(key: string, outbox: KeyOutbox): void {
    if (outbox.busy) return;
    const head = outbox.queue[outbox.head];
    if (head === undefined) {
      outbox.queue = [];
      outbox.head = 0;
    } else {
      outbox.busy = true;
      this.scheduler.at(key, this.#slot(outbox, head), (at) => this.#attempt(key, outbox, at));
    }
  }

  #wake(key: string, outbox: KeyOutbox): void {
    if (outbox.waiters.length === 0 || !this.#idle(key, outbox)) return;
    const waiters = outbox.waiters.splice(0);
    for (const resolve of waiters) resolve();
  }

  #attempt(key: string, outbox: KeyOutbox, at: number): void {
    const pending = outbox.queue[outbox.head] as Pending;
    const { record } = pending;
    outbox.lastAttemptAt = at;
    const message = this.#message(key, record);
    if (record.attempts.length === 0) {
      record.sentAt = iso(at);
      this.#hand(key, record, message);
    }
    const endpoint = this.endpoint(key);
    if (endpoint === undefined) {
      if (record.listeners === 0) record.reason = "no endpoint or listener when it was due";
      this.#finish(key, outbox, record.listeners > 0 ? "delivered" : "dropped");
      this.report(key, record, null);
      return;
    }
    record.endpoint = endpoint;
    outbox.inFlight = true;
    this.#post(endpoint, message).then((result) => {
      if (this.#outboxes.get(key) !== outbox) return;
      outbox.inFlight = false;
      const attempt = { at: iso(at), ...result };
      record.attempts.push(attempt);
      const delay = this.policy.retryDelays[record.attempts.length - 1];
      if (result.error === null) {
        this.#finish(key, outbox, "delivered");
      } else if (delay === undefined) {
        this.#finish(key, outbox, "failed");
      } else {
        pending.nextAt = at + delay;
        record.nextAttemptAt = iso(pending.nextAt);
        outbox.busy = false;
        this.#next(key, outbox);
      }
      this.report(key, record, attempt);
      this.scheduler.runDue(key);
      this.#wake(key, outbox);
    });
  }

  #finish(key: string, outbox: KeyOutbox, status: WebhookDelivery["status"]): void {
    const record = outbox.queue[outbox.head]?.record;
    if (record !== undefined) {
      record.status = status;
      record.nextAttemptAt = null;
    }
    outbox.queue[outbox.head] = undefined as unknown as Pending;
    outbox.head += 1;
    // Drop the spent head now and then, so the queue's memory follows what it holds.
    if (outbox.head > 1024 && outbox.head * 2 > outbox.queue.length) {
      outbox.queue = outbox.queue.slice(outbox.head);
      outbox.head = 0;
    }
    outbox.busy = false;
    this.#next(key, outbox);
    this.#wake(key, outbox);
  }

  /**
   * The event's headers, signed now: `webhook-timestamp` is wall time (the `now` option's), as a
   * receiver's tolerance reads it, however far the key's clock was advanced.
   */
  #message(key: string, record: WebhookDelivery): Omit<WebhookMessage, "apiKey" | "event"> {
    const secret = this.#secret ?? secretBytes(this.secret(key), "secret");
    const timestamp = Math.floor(this.wallTime() / 1000);
    return {
      headers: {
        "content-type": "application/json",
        ...signedHeaders(secret, record.id, timestamp, record.body),
      },
      body: record.body,
    };
  }

  /** The message to each listener, with a parsed copy of its own; what one throws is recorded. */
  #hand(
    key: string,
    record: WebhookDelivery,
    message: Omit<WebhookMessage, "apiKey" | "event">,
  ): void {
    const failed = (error: unknown) => {
      record.listenerError ??= error instanceof Error ? error.message : String(error);
    };
    for (const listener of this.#listeners) {
      record.listeners += 1;
      try {
        const result = listener({
          apiKey: key,
          body: message.body,
          headers: { ...message.headers },
          event: JSON.parse(message.body),
        });
        if (result instanceof Promise) result.catch(failed);
      } catch (error) {
        failed(error);
      }
    }
  }

  async #post(
    endpoint: string,
    message: Omit<WebhookMessage, "apiKey" | "event">,
  ): Promise<{ status: number | null; error: string | null }> {
    try {
      const response = await this.send(
        new Request(endpoint, {
          method: "POST",
          headers: { ...message.headers, "user-agent": "loops-contract-mock" },
          body: message.body,
          redirect: "manual",
          signal: AbortSignal.timeout(this.policy.timeout),
        }),
      );
      await drain(response).catch(() => {});
      const ok = response.status >= 200 && response.status < 300;
      return { status: response.status, error: ok ? null : `answered ${response.status}` };
    } catch (error) {
      return { status: null, error: errorText(error, this.policy.timeout) };
    }
  }
}
