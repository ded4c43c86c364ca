// `node:http` over the engine: the request's head and body in, the engine's answer written out.
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { readLimit } from "../checks.js";
import type { Answer, RawBody } from "../context.js";
import { createMockEngine, type MockBehaviour, type MockEngine } from "../engine.js";
import {
  type InspectorAccess,
  isLoopbackAddress,
  minimumTokenLength,
  type Reach,
} from "../inspector/access.js";
import { type MockRecords, recordsOf } from "../records.js";
import { controlsOf, type SandboxControls } from "../sandbox.js";

interface MockHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  engine: MockEngine;
}

/**
 * Reads at most one byte past the engine's limit, so that it can tell a body too large, and drops
 * the rest as it arrives: the client still gets its answer, and memory stays bounded.
 */
function readCapped(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    req.on("data", (chunk: Buffer) => {
      if (kept > readLimit) return;
      const room = readLimit + 1 - kept;
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      chunks.push(part);
      kept += part.length;
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** The URL the client asked for, with its own host, so that `nextPage` leads back here. */
function requestUrl(req: IncomingMessage): string {
  const path = req.url ?? "/";
  try {
    return new URL(`http://${req.headers.host ?? "127.0.0.1"}${path}`).href;
  } catch {
    return new URL(`http://127.0.0.1${path.startsWith("/") ? path : `/${path}`}`).href;
  }
}

/** A page as it is; a stream as it comes, until either side closes it. */
function sendRaw(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  raw: RawBody,
) {
  const head = { ...headers, "content-type": raw.contentType };
  if (typeof raw.content === "string") {
    const length = String(Buffer.byteLength(raw.content));
    res.writeHead(status, { ...head, "content-length": length }).end(raw.content);
    return;
  }
  const stream = Readable.fromWeb(raw.content as NodeReadableStream<Uint8Array>);
  // A client that leaves ends the stream, and with it whatever feeds it.
  res.once("close", () => stream.destroy());
  res.writeHead(status, head).flushHeaders();
  stream.pipe(res);
}

function send(res: ServerResponse, { status, headers, body, raw }: Answer): void {
  if (res.headersSent || res.destroyed) return;
  if (raw !== undefined) {
    sendRaw(res, status, headers, raw);
    return;
  }
  if (body === undefined) {
    const { "content-type": _, ...withoutType } = headers;
    res.writeHead(status, { ...withoutType, "content-length": "0" }).end();
    return;
  }
  const payload = JSON.stringify(body);
  res
    .writeHead(status, {
      ...headers,
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(payload)),
    })
    .end(payload);
}

function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}

/** A `node:http` request listener over a new engine, once Prism has read the contract. */
async function createMockHandler(
  behaviour: MockBehaviour,
  access: InspectorAccess,
): Promise<MockHandler> {
  const engine = createMockEngine(behaviour, { inspector: access });
  await engine.ready();
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const body = readCapped(req);
    // Read at once, so a request the engine refuses before its body is still drained.
    body.catch(() => {});
    let headers: Headers;
    try {
      headers = headersOf(req);
    } catch (error) {
      // A header Fetch cannot hold (undici refuses some values Node accepts): the engine never sees it.
      send(res, {
        status: 400,
        headers: {},
        body: { message: `The request cannot be read: ${String(error)}` },
      });
      return;
    }
    const head = { method: req.method ?? "GET", url: requestUrl(req), headers };
    engine
      .respond(head, async () => {
        const bytes = await body;
        return bytes.length > readLimit
          ? { bytes: Buffer.alloc(0), tooLarge: true }
          : { bytes, tooLarge: false };
      })
      .then(
        (answer) => send(res, answer),
        (error: unknown) =>
          send(res, { status: 500, headers: {}, body: { message: `The mock failed: ${error}` } }),
      );
  };
  return Object.assign(handler, { engine });
}

export interface MockOptions extends MockBehaviour {
  /** Port to listen on; default: a free port chosen by the OS. */
  port?: number | undefined;
  /** Host to listen on; default 127.0.0.1. */
  host?: string | undefined;
  /**
   * Opens the inspector (`/_sandbox/inspector`) and its listings across keys to requests that
   * send it, as `?token=` or the `X-Inspector-Token` header: needed when the mock listens on an
   * address other than loopback, where nothing answers without it. At least 16 characters.
   */
  inspectorToken?: string | undefined;
}

/** The token, checked: a short one is guessed too easily to guard every key's records. */
function checkedToken(token: unknown): string | undefined {
  if (token === undefined) return undefined;
  if (typeof token !== "string" || token.length < minimumTokenLength) {
    throw new TypeError(
      `The mock's inspectorToken option must be a string of at least ${minimumTokenLength} characters.`,
    );
  }
  return token;
}

export interface RunningMock extends SandboxControls, MockRecords {
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
  // Known once the server listens: a name such as localhost is judged by the address it bound.
  let reach: Reach = "network";
  const access = { reach: () => reach, token: checkedToken(options.inspectorToken) };
  const handler = await createMockHandler(options, access);
  const server = createServer(handler);
  server.listen(options.port ?? 0, host);
  await Promise.race([
    once(server, "listening"),
    once(server, "error").then(([error]) => {
      throw error;
    }),
  ]);
  const { port, address } = server.address() as AddressInfo;
  reach = isLoopbackAddress(address) ? "loopback" : "network";
  const { engine } = handler;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    operationCount: engine.operationCount,
    rateLimit: engine.rateLimit,
    stateful: engine.sandbox !== undefined,
    ...controlsOf(engine.sandbox),
    ...recordsOf(engine),
    stop() {
      stopping ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
        // A restart starts every key from its seed, and so does a stop; no wait outlives it.
        engine.sandbox?.reset();
        engine.close();
      });
      return stopping;
    },
  };
}
