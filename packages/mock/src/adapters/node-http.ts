// `node:http` over the engine: the request's head and body in, the engine's answer written out.
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type Answer,
  createMockEngine,
  type MockBehaviour,
  type MockEngine,
  maxBodyBytes,
} from "./engine.js";

export interface MockHandler {
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
      if (kept > maxBodyBytes) return;
      const room = maxBodyBytes + 1 - kept;
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

function send(res: ServerResponse, { status, headers, body }: Answer): void {
  if (res.headersSent || res.destroyed) return;
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

export async function createMockHandler(behaviour: MockBehaviour = {}): Promise<MockHandler> {
  const engine = await createMockEngine(behaviour);
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const body = readCapped(req);
    // Read at once, so a request the engine refuses before its body is still drained.
    body.catch(() => {});
    let head: { method: string; url: string; headers: Headers };
    try {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined) continue;
        for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
      }
      head = { method: req.method ?? "GET", url: requestUrl(req), headers };
    } catch (error) {
      // A header Fetch cannot hold (undici refuses some values Node accepts): the engine never sees it.
      const message = `The request cannot be read: ${String(error)}`;
      send(res, { status: 400, headers: {}, body: { message } });
      return;
    }
    engine
      .respond(head, async () => {
        const bytes = await body;
        return bytes.length > maxBodyBytes
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
