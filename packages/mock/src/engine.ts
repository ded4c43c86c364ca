// The mock as one function from a request to an answer. A request goes down one line, never back:
// the checks below in their order, then exactly one responder (the controls, the sandbox or
// Prism), then the one step that sets headers, then the listeners that see the request and its
// answer. The adapters (src/adapters/) only convert to and from it.
import { operations } from "@loops-contract/spec";
import {
  authenticated,
  bodyValid,
  bodyWithinLimit,
  controlsTakeJson,
  methodAllowed,
  parametersValid,
  pathKnown,
  preferencesDocumented,
  withinRateLimit,
} from "./checks.js";
import type {
  Answer,
  AnsweredBy,
  CheckName,
  ReadBody,
  Reply,
  RequestContext,
  RequestHead,
  Step,
} from "./context.js";
import { contractDocument, controlsDocument } from "./documents.js";
import { decorated, documentedRateLimit } from "./headers.js";
import type { InspectorAccess } from "./inspector/access.js";
import { createInspector, type Inspector } from "./inspector.js";
import { Journal } from "./journal.js";
import { Outbox } from "./outbox.js";
import { RateLimiter } from "./rate-limit.js";
import { controlsResponder } from "./responders/controls.js";
import { prismResponder } from "./responders/prism.js";
import { recordControls, recordsResponder } from "./responders/records.js";
import { sandboxResponder } from "./responders/sandbox.js";
import { contractPathOf, controlPrefix, type Route, route } from "./routes.js";
import {
  defaultLimits,
  type Fixtures,
  Sandbox,
  type SandboxLimits,
  StoredShapeError,
} from "./sandbox.js";
import type { SendRequest } from "./webhooks/dispatcher.js";

export interface MockBehaviour {
  /** Generate bodies from the schemas instead of serving the contract's examples. */
  dynamic?: boolean | undefined;
  /** Seed for dynamic mode, so generated bodies are reproducible. */
  seed?: number | undefined;
  /** Serve the examples verbatim: no request fields merged in, no fresh ids. */
  static?: boolean | undefined;
  /** Requests per second per API key; `true` for the contract's documented limit. Off by default. */
  rateLimit?: number | boolean | undefined;
  /** Answer every request on its own, from the examples, remembering nothing. */
  stateless?: boolean | undefined;
  /** Start every API key as a new team: only the reserved records (the default group). */
  empty?: boolean | undefined;
  /** Caps on memory: API keys kept, created records per key and resource, journal and outbox bytes. */
  limits?: MockLimits | undefined;
  /** Keep a journal of every request (default); `false` keeps none. */
  journal?: boolean | undefined;
  /**
   * The sandbox's wall time, in milliseconds: each key's clock is this plus what it was advanced.
   * Default: the real clock. `() => Date.now()` follows `vi.setSystemTime` and fake timers.
   */
  now?: (() => number) | undefined;
  /**
   * What every key's Loops account holds that the API cannot create (transactional emails,
   * mailing lists, contact properties), on top of the seed; `define(apiKey, fixtures)` adds a
   * key's own. Validated at start: a record that does not fit throws a FixtureError naming it.
   */
  fixtures?: Fixtures | undefined;
  /**
   * Where every key's webhooks are posted (http or https), unless `setWebhookEndpoint` gives the
   * key its own. Without one, webhooks go to `onWebhook` listeners only.
   */
  webhookUrl?: string | undefined;
  /** The `whsec_` secret every key's webhooks are signed with; default: one per key. */
  webhookSecret?: string | undefined;
  /** Milliseconds an endpoint has to answer a webhook before the attempt counts as failed (15,000). */
  webhookTimeout?: number | undefined;
}

/** What an adapter gives the engine besides the behaviour: how the sandbox sends webhooks. */
export interface MockTransport {
  /** Sends one HTTP request; default: the global `fetch`, looked up on each call. */
  send?: SendRequest | undefined;
  /**
   * Who may open the inspector: a server passes where it listens and its token. Default: this
   * process alone (the in-process adapters), whose code holds every key's controls already.
   */
  inspector?: InspectorAccess | undefined;
}

export interface MockLimits extends SandboxLimits {
  /** Bytes of journal (its entries' JSON text) kept per key; past it the oldest go. */
  journalBytes?: number | undefined;
  /** Bytes of outbox kept per key, the same way. */
  outboxBytes?: number | undefined;
}

/** The journal's and the outbox's default budgets per key, in bytes. */
export const defaultRecordBytes = 512 * 1024;

/** Sees a request's context, its answer and the step that made it: where the journal hooks in. */
export type AnswerListener = (
  context: RequestContext,
  answer: Answer,
  answeredBy: AnsweredBy,
) => void;

export interface MockEngine {
  /** Answers one request; never rejects. `readBody` is called once, for every request. */
  respond(request: RequestHead, readBody: () => Promise<ReadBody>): Promise<Answer>;
  /** Reads the contract into Prism now; resolves once no answer has to wait for it. */
  ready(): Promise<void>;
  /** Adds a listener, called for every answer after it is made, in the order added. */
  onAnswer(listener: AnswerListener): void;
  /** How many operations of the contract it serves. */
  operationCount: number;
  /** Requests per second per API key, when rate limiting is on. */
  rateLimit: number | undefined;
  /** What each API key created and changed; `undefined` when stateless. Its owner is the engine. */
  sandbox: Sandbox | undefined;
  /** The sandbox's inspector, its page and listings across keys; `undefined` when stateless. */
  inspector: Inspector | undefined;
  /** Every request answered, per key; `undefined` with `journal: false`. */
  journal: Journal | undefined;
  /** Every message the sandbox sent, per key. */
  outbox: Outbox;
  /** The key's clock (wall time for a key the sandbox does not hold), without making the key. */
  clockOf(key: string | undefined): number;
  /** Ends what outlives a request (waits on the outbox): the mock is stopping. */
  close(): void;
}

const inProcess: InspectorAccess = { reach: () => "process" };

/** The API key of a `Bearer` authorization: the scheme in any case, the token trimmed. */
function apiKeyOf(authorization: string | null): string | undefined {
  const match = /^bearer\s+(.*)$/is.exec(authorization ?? "");
  const token = match?.[1]?.trim();
  return token ? token : undefined;
}

async function contextOf(
  request: RequestHead,
  url: URL,
  readBody: () => Promise<ReadBody>,
): Promise<RequestContext> {
  const path = contractPathOf(url.pathname);
  const document = path.startsWith(controlPrefix) ? await controlsDocument() : contractDocument;
  let target: Route;
  try {
    target = route(document.operations, request.method.toLowerCase(), path);
  } catch {
    target = { kind: "noPath" };
  }
  const apiKey = apiKeyOf(request.headers.get("authorization"));
  const read = await readBody();
  return {
    request,
    url,
    path,
    document,
    route: target,
    read,
    apiKey,
    rate: undefined,
    preferences: {},
    body: undefined,
  };
}

/** The journal (unless turned off) and the outbox, within the limits' budgets. */
function recordStores(behaviour: MockBehaviour): { journal: Journal | undefined; outbox: Outbox } {
  const limits = behaviour.limits ?? {};
  // Requests without a key are journalled under one more.
  const keys = (limits.keys ?? defaultLimits.keys) + 1;
  const journal =
    behaviour.journal === false
      ? undefined
      : new Journal({ bytesPerKey: limits.journalBytes ?? defaultRecordBytes, keys });
  return {
    journal,
    outbox: new Outbox({ bytesPerKey: limits.outboxBytes ?? defaultRecordBytes, keys }),
  };
}

/** The sandbox, told to fill the outbox and to drop a key's records when it forgets the key. */
function sandboxOf(
  behaviour: MockBehaviour,
  { journal, outbox }: ReturnType<typeof recordStores>,
  transport: MockTransport,
): Sandbox | undefined {
  if (behaviour.stateless || behaviour.static || behaviour.dynamic) return undefined;
  return new Sandbox({
    empty: behaviour.empty,
    limits: behaviour.limits,
    now: behaviour.now,
    fixtures: behaviour.fixtures,
    webhooks: {
      url: behaviour.webhookUrl,
      secret: behaviour.webhookSecret,
      timeout: behaviour.webhookTimeout,
      send: transport.send,
    },
    events: {
      sent: (key, message) => outbox.sent(key, message),
      added: (key, entry) => outbox.add(key, entry),
      forgotten: (key) => {
        journal?.records.forget(key);
        outbox.records.forget(key);
      },
    },
  });
}

/** The checks, by name, in Loops' order: a request with several faults gets the first one's answer. */
function checksOf(limiter: RateLimiter | undefined): Array<[CheckName, Step]> {
  return [
    ["pathKnown", pathKnown],
    ["withinRateLimit", withinRateLimit(limiter)],
    ["methodAllowed", methodAllowed],
    ["bodyWithinLimit", bodyWithinLimit],
    ["preferencesDocumented", preferencesDocumented],
    ["authenticated", authenticated],
    ["controlsTakeJson", controlsTakeJson],
    ["parametersValid", parametersValid],
    ["bodyValid", bodyValid],
  ];
}

/**
 * The answer to a defect of the mock itself (a stored record that no longer fits the contract
 * among them, a body the adapter could not read); the tests keep it unreachable.
 */
function failure(error: unknown): Answer {
  const message =
    error instanceof StoredShapeError ? error.message : `The mock failed: ${String(error)}`;
  return { status: 500, headers: {}, body: { message } };
}

/** A key's clock without making the key: the sandbox's, or the wall time when stateless. */
function clockReader(sandbox: Sandbox | undefined, wallTime: () => number) {
  return (key: string | undefined) =>
    sandbox !== undefined && key !== undefined ? sandbox.clockOf(key) : wallTime();
}

/** The listener that writes every answer to the journal, on the key's clock. */
function journalWriter(
  journal: Journal,
  clockOf: (key: string | undefined) => number,
): AnswerListener {
  // A `now` option that is no clock is already the answer's 500; the journal still keeps a time.
  const journalTime = (key: string | undefined) => {
    try {
      const at = clockOf(key);
      return Number.isFinite(at) ? at : Date.now();
    } catch {
      return Date.now();
    }
  };
  return (context, answer, answeredBy) => {
    // Reading the journal or the outbox is not journalled: reading never changes what it reads.
    const target = context.route;
    const read = context.document.kind === "controls" && target.kind === "operation";
    if (read && recordControls.includes(target.operation.operationId)) return;
    journal.write(context, answer, answeredBy, journalTime(context.apiKey));
  };
}

/** The rate limiter the option asks for: none when off, the documented limit for `true`. */
function limiterOf(rateLimit: MockBehaviour["rateLimit"]): RateLimiter | undefined {
  if (rateLimit === undefined || rateLimit === false) return undefined;
  return new RateLimiter(rateLimit === true ? documentedRateLimit : rateLimit);
}

/** Creates the engine at once; Prism reads the contract on `ready()` or the first answer it makes. */
export function createMockEngine(
  behaviour: MockBehaviour = {},
  transport: MockTransport = {},
): MockEngine {
  const stores = recordStores(behaviour);
  const { journal, outbox } = stores;
  const sandbox = sandboxOf(behaviour, stores, transport);
  const limiter = limiterOf(behaviour.rateLimit);
  const checks = checksOf(limiter);
  const prism = prismResponder(behaviour);
  const inspector = sandbox && createInspector(sandbox, stores, transport.inspector ?? inProcess);
  // The first that takes a request answers it: the controls theirs, the sandbox what the contract
  // declares `x-sandbox` (unless `Prefer` asks for an example), Prism the rest.
  const responders = [
    ...(inspector ? [inspector.responder] : []),
    recordsResponder(journal, outbox),
    controlsResponder(sandbox),
    ...(sandbox ? [sandboxResponder(sandbox)] : []),
    prism,
  ];
  const clockOf = clockReader(sandbox, behaviour.now ?? Date.now);
  const listeners: AnswerListener[] = [
    ...(journal === undefined ? [] : [journalWriter(journal, clockOf)]),
    ...(inspector ? [inspector.onAnswer] : []),
  ];

  async function reply(context: RequestContext): Promise<[Reply, AnsweredBy]> {
    for (const [name, check] of checks) {
      const refusal = check(context);
      if (refusal !== undefined) return [refusal, name];
    }
    const target = context.route;
    if (target.kind !== "operation") throw new Error(`${context.path} passed the checks unrouted`);
    const responder = responders.find((candidate) => candidate.takes(context, target));
    if (responder === undefined) throw new Error(`No responder takes ${context.path}`);
    return [await responder.answer(context, target), responder.name];
  }

  async function respond(request: RequestHead, readBody: () => Promise<ReadBody>): Promise<Answer> {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return { status: 400, headers: {}, body: { message: "The request URL cannot be read." } };
    }
    let context: RequestContext;
    try {
      context = await contextOf(request, url, readBody);
    } catch (error) {
      return failure(error);
    }
    let answer: Answer;
    let answeredBy: AnsweredBy;
    try {
      const [made, by] = await reply(context);
      [answer, answeredBy] = [decorated(context, made), by];
    } catch (error) {
      [answer, answeredBy] = [failure(error), "failure"];
    }
    for (const listener of listeners) listener(context, answer, answeredBy);
    return answer;
  }

  return {
    respond,
    ready: () => prism.load().then(() => undefined),
    onAnswer: (listener) => void listeners.push(listener),
    operationCount: operations.length,
    rateLimit: limiter?.limit,
    sandbox,
    inspector,
    journal,
    outbox,
    clockOf,
    close: () => outbox.close(),
  };
}
