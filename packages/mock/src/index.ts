import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { contractPathOf, controlPrefix, createMockEngine, type MockBehaviour } from "./engine.js";
import { route } from "./routes.js";
import { createMockHandler } from "./server.js";

export type { MockBehaviour } from "./engine.js";
export { contractHash, controlPrefix, maxBodyBytes } from "./engine.js";
export { defaultLimits, type SandboxControls, type SandboxLimits } from "./sandbox.js";

import { controlsOf, type SandboxControls } from "./sandbox.js";

export interface MockOptions extends MockBehaviour {
  /** Port to listen on; default: a free port chosen by the OS. */
  port?: number | undefined;
  /** Host to listen on; default 127.0.0.1. */
  host?: string | undefined;
}

export interface RunningMock extends SandboxControls {
  /** The mock's base URL, e.g. http://127.0.0.1:4010. */
  url: string;
  port: number;
  /** How many operations of the contract it serves. */
  operationCount: number;
  /** Requests per second per API key, when rate limiting is on. */
  rateLimit: number | undefined;
  /** Whether it remembers what each key creates and changes. */
  stateful: boolean;
  /** Closes the server and its connections; resolves when the port is free. */
  stop(): Promise<void>;
}

/**
 * Serves the bundled contract with Prism and the sandbox, in this process. Resolves once the port
 * listens, which is once every operation can be answered: there is no moment where the port is
 * open but the mock is not ready.
 */
export async function startMock(options: MockOptions = {}): Promise<RunningMock> {
  const host = options.host ?? "127.0.0.1";
  const handler = await createMockHandler(options);
  const server = createServer(handler);
  server.listen(options.port ?? 0, host);
  await Promise.race([
    once(server, "listening"),
    once(server, "error").then(([error]) => {
      throw error;
    }),
  ]);
  const port = (server.address() as AddressInfo).port;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    operationCount: handler.engine.operationCount,
    rateLimit: handler.engine.rateLimit,
    stateful: handler.engine.sandbox !== undefined,
    ...controlsOf(handler.engine.sandbox),
    stop() {
      stopping ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
        // A restart starts every key from its seed, and so does a stop.
        handler.engine.sandbox?.reset();
      });
      return stopping;
    },
  };
}

export interface MockFetch extends SandboxControls {
  (input: string | URL | Request, init?: RequestInit): Promise<Response>;
}

/**
 * A `fetch` answered by the mock in this process, with no port: pass it to a client
 * (`createLoopsClient({ apiKey, fetch })`). Requests go to the contract's paths under any origin.
 */
export async function createMockFetch(options: MockBehaviour = {}): Promise<MockFetch> {
  const engine = await createMockEngine(options);
  const mockFetch = async (
    input: string | URL | Request,
    init?: RequestInit,
  ): Promise<Response> => {
    const request =
      input instanceof Request && init === undefined ? input : new Request(input, init);
    const path = contractPathOf(new URL(request.url).pathname);
    if (
      !path.startsWith(controlPrefix) &&
      route(request.method.toLowerCase(), path).kind === "noPath"
    ) {
      throw new TypeError(
        `The Loops mock has no operation at ${request.method} ${request.url}: the contract does not describe that path.`,
      );
    }
    return engine(request);
  };
  return Object.assign(mockFetch, controlsOf(engine.sandbox));
}
