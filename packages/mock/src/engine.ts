// The mock as one function from a request to an answer. A request goes down one line, never back:
// the checks below in their order, then exactly one responder (the controls, the sandbox or
// Prism), then the one step that sets headers, then the listeners that see the request and its
// answer. The adapters (src/adapters/) only convert to and from it.
import { operations } from "@loops-contract/spec";
import {
  authenticated,
  bodyValid,
  bodyWithinLimit,
  methodAllowed,
  parametersValid,
  pathKnown,
  preferencesDocumented,
  withinRateLimit,
} from "./checks.js";
import type { Answer, ReadBody, Reply, RequestContext, RequestHead, Step } from "./context.js";
import { contractDocument, controlsDocument } from "./documents.js";
import { decorated, documentedRateLimit } from "./headers.js";
import { RateLimiter } from "./rate-limit.js";
import { controlsResponder } from "./responders/controls.js";
import { prismResponder } from "./responders/prism.js";
import { sandboxResponder } from "./responders/sandbox.js";
import { contractPathOf, controlPrefix, type Route, route } from "./routes.js";
import { type Fixtures, Sandbox, type SandboxLimits, StoredShapeError } from "./sandbox.js";
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
  /** Caps on the sandbox's memory: API keys kept, created records per key and resource. */
  limits?: SandboxLimits | undefined;
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
}

/** Sees a request's context and its answer once the answer is made: where a journal hooks in. */
export type AnswerListener = (context: RequestContext, answer: Answer) => void;

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
}

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

/** The sandbox the behaviour asks for; none when stateless. */
function sandboxFor(behaviour: MockBehaviour, transport: MockTransport): Sandbox | undefined {
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
  });
}

/** Creates the engine at once; Prism reads the contract on `ready()` or the first answer it makes. */
export function createMockEngine(
  behaviour: MockBehaviour = {},
  transport: MockTransport = {},
): MockEngine {
  const sandbox = sandboxFor(behaviour, transport);
  const { rateLimit } = behaviour;
  const limiter =
    rateLimit === undefined || rateLimit === false
      ? undefined
      : new RateLimiter(rateLimit === true ? documentedRateLimit : rateLimit);
  // The order of checks, as at Loops: a request with several faults gets the first one's answer.
  const checks: Step[] = [
    pathKnown,
    withinRateLimit(limiter),
    methodAllowed,
    bodyWithinLimit,
    preferencesDocumented,
    authenticated,
    parametersValid,
    bodyValid,
  ];
  const prism = prismResponder(behaviour);
  // The first that takes a request answers it: the controls theirs, the sandbox what the contract
  // declares `x-sandbox` (unless `Prefer` asks for an example), Prism the rest.
  const responders = [
    controlsResponder(sandbox),
    ...(sandbox ? [sandboxResponder(sandbox)] : []),
    prism,
  ];
  const listeners: AnswerListener[] = [];

  function reply(context: RequestContext): Reply | Promise<Reply> {
    for (const check of checks) {
      const refusal = check(context);
      if (refusal !== undefined) return refusal;
    }
    const target = context.route;
    if (target.kind !== "operation") throw new Error(`${context.path} passed the checks unrouted`);
    const responder = responders.find((candidate) => candidate.takes(context, target));
    if (responder === undefined) throw new Error(`No responder takes ${context.path}`);
    return responder.answer(context, target);
  }

  async function respond(request: RequestHead, readBody: () => Promise<ReadBody>): Promise<Answer> {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return { status: 400, headers: {}, body: { message: "The request URL cannot be read." } };
    }
    try {
      const context = await contextOf(request, url, readBody);
      const answer = decorated(context, await reply(context));
      for (const listener of listeners) listener(context, answer);
      return answer;
    } catch (error) {
      // Only a defect of the mock itself gets here (a stored record that no longer fits the
      // contract among them); the tests keep it unreachable.
      const message =
        error instanceof StoredShapeError ? error.message : `The mock failed: ${String(error)}`;
      return { status: 500, headers: {}, body: { message } };
    }
  }

  return {
    respond,
    ready: () => prism.load().then(() => undefined),
    onAnswer: (listener) => void listeners.push(listener),
    operationCount: operations.length,
    rateLimit: limiter?.limit,
    sandbox,
  };
}
