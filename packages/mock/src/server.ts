// `node:http` over the engine: a request in, the engine's `Response` out.
import type { IncomingMessage, ServerResponse } from "node:http";
import { createMockEngine, type MockBehaviour, type MockEngine, maxBodyBytes } from "./engine.js";

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
function requestUrl(req: IncomingMessage): URL {
  const path = req.url ?? "/";
  try {
    return new URL(`http://${req.headers.host ?? "127.0.0.1"}${path}`);
  } catch {
    return new URL(`http://127.0.0.1${path.startsWith("/") ? path : `/${path}`}`);
  }
}

export async function createMockHandler(behaviour: MockBehaviour = {}): Promise<MockHandler> {
  const engine = await createMockEngine(behaviour);
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
    }
    readCapped(req)
      .then((bytes) => {
        const method = req.method ?? "GET";
        const hasBody = method !== "GET" && method !== "HEAD";
        return engine(
          new Request(requestUrl(req), {
            method,
            headers,
            ...(hasBody
              ? {
                  body: new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.length),
                }
              : {}),
          }),
        );
      })
      .then(async (response) => {
        if (res.headersSent || res.destroyed) return;
        const payload = Buffer.from(await response.arrayBuffer());
        res.writeHead(response.status, {
          ...Object.fromEntries(response.headers),
          "content-length": String(payload.length),
        });
        res.end(payload);
      })
      .catch((error: unknown) => {
        // A request Fetch cannot represent (a header value undici refuses, say): the engine never saw it.
        if (res.headersSent || res.destroyed) return;
        const payload = JSON.stringify({ message: `The request cannot be read: ${String(error)}` });
        res.writeHead(400, {
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(payload)),
        });
        res.end(payload);
      });
  };
  return Object.assign(handler, { engine });
}
