// The mock's own controls (openapi/sandbox.yaml), on the requesting key's sandbox. A new control
// is a path in that document and a handler here, keyed by its operationId.
import { messageReply, type Responder } from "../context.js";
import { FixtureError, type Fixtures, type Sandbox } from "../sandbox.js";

/** A control's answer body; its request body has been validated against the document. */
type ControlHandler = (sandbox: Sandbox, key: string, body: unknown) => unknown;

const clock = (now: number) => ({ now: new Date(now).toISOString() });

export const controlHandlers: Readonly<Record<string, ControlHandler>> = {
  now: (sandbox, key) => clock(sandbox.now(key)),
  advanceClock: (sandbox, key, body) =>
    clock(sandbox.advanceClock(key, (body as { milliseconds: number }).milliseconds)),
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
};

export function controlsResponder(sandbox: Sandbox | undefined): Responder {
  return {
    name: "control",
    takes: (context) => context.document.kind === "controls",
    answer(context, { operation }) {
      if (sandbox === undefined) {
        return messageReply(context, 404, "This mock is stateless: it has no sandbox to change.");
      }
      const handler = controlHandlers[operation.operationId];
      if (handler === undefined)
        throw new Error(`No handler for the control ${operation.operationId}`);
      const success = operation.responses.find((response) => response.status.startsWith("2"));
      try {
        const body = handler(sandbox, context.apiKey ?? "", context.body);
        return { status: Number(success?.status ?? 200), body };
      } catch (error) {
        if (error instanceof FixtureError) return messageReply(context, 400, error.message);
        throw error;
      }
    },
  };
}
