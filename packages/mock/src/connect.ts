// A running mock's journal, outbox, clock and webhooks over HTTP, for test files in other
// processes than the mock's (a vitest `globalSetup` starts it; each worker connects). Every method
// takes the API key it acts on, as the in-process mock's do, so the vitest matchers and a test
// read the same on either.
import { contract, type JsonObject } from "@loops-contract/spec";
import type { JournalEntry, JournalFilter } from "./journal.js";
import { meets } from "./match.js";
import {
  defaultWaitTimeout,
  type OutboxEntry,
  type OutboxFilter,
  type OutboxMatch,
  timeoutMessage,
  type WaitForOptions,
  WaitForTimeout,
} from "./outbox.js";
import type { Instant } from "./recorded.js";
import { controlPrefix } from "./routes.js";
import type { FlushOptions, WebhookDelivery } from "./webhooks/dispatcher.js";

/** The webhook controls, as `SandboxControls` has them, over HTTP (async). */
export interface ConnectedWebhooks {
  /** `PUT /_sandbox/webhooks`: the key's endpoint, http or https; `null` removes it. */
  setWebhookEndpoint(apiKey: string, url: string | null): Promise<void>;
  /** The key's endpoint, or `undefined` when its webhooks go to listeners only. */
  webhookEndpoint(apiKey: string): Promise<string | undefined>;
  /** The `whsec_` secret the key's webhooks are signed with. */
  webhookSecret(apiKey: string): Promise<string>;
  webhookDeliveries(apiKey: string): Promise<WebhookDelivery[]>;
  /**
   * `POST /_sandbox/webhooks/flush`: as the in-process `flushWebhooks`, the spacing between
   * deliveries waited out, not a retry; `timeout` at most 30,000 ms, the control's limit.
   */
  flushWebhooks(apiKey: string, options?: FlushOptions): Promise<void>;
  /** Sends one of the contract's webhooks, from its example or `payload`; `undefined`: nowhere to go. */
  triggerWebhook(
    apiKey: string,
    event: string,
    payload?: unknown,
  ): Promise<WebhookDelivery | undefined>;
}

export interface ConnectedMock extends ConnectedWebhooks {
  /** The mock's base URL. */
  url: string;
  journal(apiKey: string, filter?: JournalFilter): Promise<JournalEntry[]>;
  outbox(apiKey: string, filter?: OutboxFilter): Promise<OutboxEntry[]>;
  /** As the in-process `waitFor`, over the mock's long-poll (`GET /_sandbox/outbox/wait`). */
  waitFor(apiKey: string, match: OutboxMatch, options?: WaitForOptions): Promise<OutboxEntry>;
  now(apiKey: string): Promise<number>;
  /** Moves the key's clock; resolves once the webhooks it made due are delivered. */
  advanceClock(apiKey: string, milliseconds: number): Promise<number>;
  reset(apiKey: string): Promise<void>;
}

export interface ConnectOptions {
  /**
   * The `fetch` to reach the mock with; default the global one (under MSW, pass one it lets
   * through). Only with one given may `url` be the contract's server, which it then answers.
   */
  fetch?: typeof fetch | undefined;
}

/** A control of the mock that failed: the mock refused it, or did not answer. */
export class MockControlError extends Error {
  override name = "MockControlError";
  constructor(
    message: string,
    /** The control, as `PUT /_sandbox/webhooks`. */
    readonly control: string,
    /** The mock's status; `null` when nothing answered. */
    readonly status: number | null,
  ) {
    super(message);
  }
}

/** Filters as query parameters: repeatable ones repeated, times as ISO 8601. */
function queryOf(filter: object): URLSearchParams {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filter)) {
    for (const one of Array.isArray(value) ? value : [value]) {
      if (one === undefined || one === null) continue;
      const instant = name === "since" || name === "until";
      query.append(name, instant ? new Date(one as Instant).toISOString() : String(one));
    }
  }
  return query;
}

type Control = <Body>(apiKey: string, path: string, init?: RequestInit) => Promise<Body>;

/** A POST, with a JSON body when given. */
function posting(body?: unknown): RequestInit {
  return { method: "POST", ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
}

/** Calls a control for a key; its failures are `MockControlError`s that say what to do. */
function controlsAt(base: string, send: typeof fetch): Control {
  return async <Body>(apiKey: string, path: string, init: RequestInit = {}) => {
    const control = `${init.method ?? "GET"} ${controlPrefix}${path.replace(/\?.*/, "")}`;
    let response: Response;
    try {
      response = await send(`${base}${controlPrefix}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      });
    } catch (error) {
      // undici's "fetch failed" hides the reason (ECONNREFUSED...) in its cause.
      const reason = (error as { cause?: Error }).cause?.message ?? (error as Error).message;
      throw new MockControlError(
        `${control}: nothing answered at ${base} (${reason}). Start the mock (startMock() or loops-mock) and pass connectMock the url it prints.`,
        control,
        null,
      );
    }
    const body = (await response.json().catch(() => undefined)) as { message?: string } | undefined;
    if (!response.ok) {
      const said = body?.message ?? `no message: is ${base} the Loops mock?`;
      throw new MockControlError(
        `${control} answered ${response.status}: ${said}`,
        control,
        response.status,
      );
    }
    return body as Body;
  };
}

function webhooksOver(control: Control): ConnectedWebhooks {
  type Settings = { endpoint: string | null; secret: string };
  const settings = (apiKey: string) => control<Settings>(apiKey, "webhooks");
  return {
    setWebhookEndpoint: async (apiKey, url) =>
      void (await control(apiKey, "webhooks", {
        method: "PUT",
        body: JSON.stringify({ endpoint: url }),
      })),
    webhookEndpoint: async (apiKey) => (await settings(apiKey)).endpoint ?? undefined,
    webhookSecret: async (apiKey) => (await settings(apiKey)).secret,
    webhookDeliveries: (apiKey) => control(apiKey, "webhooks/deliveries"),
    flushWebhooks: async (apiKey, { timeout } = {}) =>
      void (await control(apiKey, `webhooks/flush?${queryOf({ timeout })}`, posting())),
    triggerWebhook: async (apiKey, event, payload) => {
      const { delivery } = await control<{ delivery: WebhookDelivery | null }>(
        apiKey,
        "webhooks/trigger",
        posting({ event, payload }),
      );
      return delivery ?? undefined;
    },
  };
}

/** The contract's server URLs (Loops' production API), without a trailing slash. */
const productionUrls = (Array.isArray(contract.servers) ? contract.servers : []).map((server) =>
  String((server as JsonObject).url).replace(/\/$/, ""),
);

/**
 * The mock's base URL, refused at once when it is no http(s) URL (an unset variable) or, over the
 * network, Loops' production API: the controls carry the key, and a test tool must not send it
 * there by accident.
 */
function mockBase(url: string | URL, options: ConnectOptions): string {
  const base = String(url).replace(/\/$/, "");
  const protocol = URL.canParse(base) ? new URL(base).protocol : "";
  if (protocol !== "http:" && protocol !== "https:") {
    throw new TypeError(
      `connectMock: ${JSON.stringify(String(url))} is no http(s) URL. Pass the url startMock() or loops-mock prints (http://127.0.0.1:PORT).`,
    );
  }
  if (
    options.fetch === undefined &&
    productionUrls.some((production) => base.startsWith(production))
  ) {
    throw new TypeError(
      `connectMock: ${base} is Loops' production API, not a mock. Pass the url startMock() or loops-mock prints (http://127.0.0.1:PORT).`,
    );
  }
  return base;
}

/** Connects to a mock `startMock` or `loops-mock` serves at `url`; nothing is sent until asked. */
export function connectMock(url: string | URL, options: ConnectOptions = {}): ConnectedMock {
  const base = mockBase(url, options);
  const control = controlsAt(base, options.fetch ?? fetch);

  const outbox = (apiKey: string, filter: OutboxFilter = {}) =>
    control<OutboxEntry[]>(apiKey, `outbox?${queryOf(filter)}`);

  async function waitFor(apiKey: string, match: OutboxMatch, waitOptions: WaitForOptions = {}) {
    const timeout = waitOptions.timeout ?? defaultWaitTimeout;
    const deadline = Date.now() + timeout;
    let after = 0;
    // Each long-poll answers at the first new entry; the match is tested here, so a function or
    // an asymmetric matcher works as in process.
    for (let left = timeout; ; left = deadline - Date.now()) {
      const query = queryOf({ after, timeout: Math.max(0, Math.min(left, 30_000)) });
      const entries = await control<OutboxEntry[]>(apiKey, `outbox/wait?${query}`);
      const found = [...entries].reverse().find((entry) => meets(match, entry));
      if (found !== undefined) return found;
      after = Math.max(after, ...entries.map((entry) => entry.seq));
      if (deadline - Date.now() <= 0) break;
    }
    throw new WaitForTimeout(timeoutMessage(match, timeout, await outbox(apiKey)));
  }

  const clock = (body: { now: string }) => Date.parse(body.now);
  return {
    url: base,
    journal: (apiKey, filter = {}) => control(apiKey, `journal?${queryOf(filter)}`),
    outbox,
    waitFor,
    now: async (apiKey) => clock(await control(apiKey, "clock")),
    advanceClock: async (apiKey, milliseconds) =>
      clock(await control(apiKey, "advance-clock", posting({ milliseconds }))),
    reset: async (apiKey) => void (await control(apiKey, "reset", posting())),
    ...webhooksOver(control),
  };
}
