// MSW handlers over the engine, for `setupServer` in a Node test suite: every path of the contract
// under each of its server URLs (and the sandbox's controls), nothing else, so that a Loops path
// the contract lacks stays unhandled for `onUnhandledRequest` to decide.
import { contract, type JsonObject, operations } from "@loops-contract/spec";
import { bypass, http, type RequestHandler } from "msw";
import { createMockEngine, type MockBehaviour } from "../engine.js";
import { controlPrefix } from "../routes.js";
import { controlsOf, type SandboxControls } from "../sandbox.js";
import { fetchAnswer } from "./fetch.js";

export type LoopsHandlers = RequestHandler[] & SandboxControls;

/** `{campaignId}` as MSW's path syntax writes it, `:campaignId`. */
function mswPath(path: string): string {
  return path.replace(/\{([^}]+)\}/g, ":$1");
}

/**
 * msw 3 calls each handler's `reset()` on `server.resetHandlers()` (its documented hook for the
 * state a handler keeps), so there the MSW idiom resets the sandbox as well. msw 2 has no such
 * hook: `handlers.reset()` does it.
 */
function resettingSandbox(handler: RequestHandler, resetSandbox: () => void): RequestHandler {
  const hook = handler as { reset?: () => void };
  const ownReset = hook.reset?.bind(handler);
  hook.reset = () => {
    ownReset?.();
    resetSandbox();
  };
  return handler;
}

/**
 * Handlers for every operation of the contract, answered by one sandbox. Synchronous, so it goes
 * straight into `setupServer(...loopsHandlers())`; Prism reads the contract on the first request
 * that needs it.
 */
export function loopsHandlers(options: MockBehaviour = {}): LoopsHandlers {
  // Webhooks leave through MSW's documented escape hatch: `bypass()` marks a request MSW performs
  // as it is, so the server's own handlers and its unhandled-request policy never see them.
  const engine = createMockEngine(options, { send: (request) => fetch(bypass(request)) });
  const answer = ({ request }: { request: Request }) => fetchAnswer(engine, request);
  const servers = (Array.isArray(contract.servers) ? contract.servers : []).map((server) =>
    String((server as JsonObject).url).replace(/\/$/, ""),
  );
  const paths = [...new Set(operations.map((operation) => mswPath(operation.path)))];
  const resetSandbox = () => void engine.sandbox?.reset();
  const handlers = servers
    .flatMap((server) => [
      ...paths.map((path) => http.all(`${server}${path}`, answer)),
      http.all(`${server}${controlPrefix}*`, answer),
    ])
    .map((handler) => resettingSandbox(handler, resetSandbox));
  return Object.assign(handlers, controlsOf(engine.sandbox));
}
