import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createMockHandler, type MockBehaviour } from "./server.js";

export { contractHash, maxBodyBytes } from "./server.js";

export interface MockOptions extends MockBehaviour {
  /** Port to listen on; default: a free port chosen by the OS. */
  port?: number | undefined;
  /** Host to listen on; default 127.0.0.1. */
  host?: string | undefined;
}

export interface RunningMock {
  /** The mock's base URL, e.g. http://127.0.0.1:4010. */
  url: string;
  port: number;
  /** How many operations of the contract it serves. */
  operationCount: number;
  /** Requests per second per API key, when rate limiting is on. */
  rateLimit: number | undefined;
  /** Closes the server and its connections; resolves when the port is free. */
  stop(): Promise<void>;
}

/**
 * Serves the bundled contract with Prism, in this process. Resolves once the port listens, which
 * is once every operation can be answered: there is no moment where the port is open but the
 * mock is not ready.
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
    operationCount: handler.operationCount,
    rateLimit: handler.rateLimit,
    stop() {
      stopping ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}
