// The mock's own controls (openapi/sandbox.yaml), on the requesting key's sandbox. A new control
// is a path in that document and a handler here, keyed by its operationId.
import { messageReply, type Responder } from "../context.js";
import { FixtureError, type Fixtures, type Sandbox } from "../sandbox.js";
import { WebhookEndpointError } from "../webhooks/dispatcher.js";
import { WebhookTriggerError } from "../webhooks/emitter.js";

/** A control's answer body; its request body and query have been validated against the document. */
type ControlHandler = (
  sandbox: Sandbox,
  key: string,
  body: unknown,
  query: URLSearchParams,
) => unknown;

const clock = (now: number) => ({ now: new Date(now).toISOString() });

const webhookSettings = (sandbox: Sandbox, key: string) => ({
  endpoint: sandbox.webhooks.endpoint(key) ?? null,
  secret: sandbox.webhooks.secret(key),
});

export const controlHandlers: Readonly<Record<string, ControlHandler>> = {
  now: (sandbox, key) => clock(sandbox.now(key)),
  // Over HTTP the answer waits for the webhooks the move made due, so that a test reads its
  // endpoint after it.
  advanceClock: async (sandbox, key, body) => {
    const now = sandbox.advanceClock(key, (body as { milliseconds: number }).milliseconds);
    await sandbox.webhooks.settled(key);
    return clock(now);
  },
  reset: (sandbox, key) => {
    sandbox.reset(key);
    return clock(sandbox.now(key));
  },
  log: (sandbox, key) => sandbox.log(key),
  define: (sandbox, key, body) => {
    sandbox.define(key, body as Fixtures);
    return { defined: Object.keys(body as Fixtures) };
  },
  // Every key, whichever authorised it: the key only shows the request means this mock.
  resetAll: (sandbox) => ({ keys: sandbox.reset() }),
  webhookSettings,
  setWebhookEndpoint: (sandbox, key, body) => {
    sandbox.webhooks.setEndpoint(key, (body as { endpoint: string | null }).endpoint);
    return webhookSettings(sandbox, key);
  },
  webhookDeliveries: (sandbox, key) => sandbox.webhooks.deliveries(key),
  // For a test in another process: a request's or a trigger's answer does not wait for its webhooks.
  flushWebhooks: async (sandbox, key, _body, query) => {
    const timeout = query.get("timeout");
    await sandbox.webhooks.flush(key, timeout === null ? undefined : Number(timeout));
    return sandbox.webhooks.deliveries(key);
  },
  triggerWebhook: (sandbox, key, body) => {
    const { event, payload } = body as { event: string; payload?: unknown };
    return { delivery: sandbox.emitter.trigger(key, event, payload) ?? null };
  },
};

export function controlsResponder(sandbox: Sandbox | undefined): Responder {
  return {
    name: "control",
    takes: (context) => context.document.kind === "controls",
    async answer(context, { operation }) {
      if (sandbox === undefined) {
        return messageReply(context, 404, "This mock is stateless: it has no sandbox to change.");
      }
      const handler = controlHandlers[operation.operationId];
      if (handler === undefined)
        throw new Error(`No handler for the control ${operation.operationId}`);
      const success = operation.responses.find((response) => response.status.startsWith("2"));
      try {
        const body = await handler(
          sandbox,
          context.apiKey ?? "",
          context.body,
          context.url.searchParams,
        );
        return { status: Number(success?.status ?? 200), body };
      } catch (error) {
        if (
          error instanceof FixtureError ||
          error instanceof WebhookEndpointError ||
          error instanceof WebhookTriggerError
        ) {
          return messageReply(context, 400, error.message);
        }
        throw error;
      }
    },
  };
}
