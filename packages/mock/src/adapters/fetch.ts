// The engine as a Fetch function: a `Request` in, a `Response` out, in this process.
import { readLimit } from "../checks.js";
import type { Answer, ReadBody } from "../context.js";
import { createMockEngine, type MockBehaviour, type MockEngine } from "../engine.js";
import { type MockRecords, recordsOf } from "../records.js";
import { servesPath } from "../routes.js";
import { controlsOf, type SandboxControls } from "../sandbox.js";

/** Reads at most one byte past the limit: what is beyond it is never held in memory. */
async function readBody(request: Request): Promise<ReadBody> {
  if (request.body === null) return { bytes: Buffer.alloc(0), tooLarge: false };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > readLimit) {
      await reader.cancel();
      return { bytes: Buffer.alloc(0), tooLarge: true };
    }
    chunks.push(value);
  }
  return { bytes: Buffer.concat(chunks), tooLarge: false };
}

function toResponse({ status, headers, body, raw }: Answer): Response {
  if (raw !== undefined) {
    return new Response(raw.content, {
      status,
      headers: { ...headers, "content-type": raw.contentType },
    });
  }
  if (body === undefined) {
    const { "content-type": _, ...withoutType } = headers;
    return new Response(null, { status, headers: withoutType });
  }
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...headers, "content-type": "application/json" },
  });
}

/** The engine's answer to a Fetch `Request`, as a `Response`. */
export async function fetchAnswer(engine: MockEngine, request: Request): Promise<Response> {
  return toResponse(await engine.respond(request, () => readBody(request)));
}

export interface MockFetch extends SandboxControls, MockRecords {
  (input: string | URL | Request, init?: RequestInit): Promise<Response>;
}

/**
 * A `fetch` answered by the mock in this process, with no port: pass it to a client
 * (`createLoopsClient({ apiKey, fetch })`). Requests go to the contract's paths under any origin.
 */
export async function createMockFetch(options: MockBehaviour = {}): Promise<MockFetch> {
  const engine = createMockEngine(options);
  await engine.ready();
  const mockFetch = async (
    input: string | URL | Request,
    init?: RequestInit,
  ): Promise<Response> => {
    const request =
      input instanceof Request && init === undefined ? input : new Request(input, init);
    // A fetch has no 404 of its own to give: a path nobody serves is the caller's mistake.
    if (!servesPath(new URL(request.url).pathname)) {
      throw new TypeError(
        `The Loops mock has no operation at ${request.method} ${request.url}: the contract does not describe that path.`,
      );
    }
    return fetchAnswer(engine, request);
  };
  return Object.assign(mockFetch, controlsOf(engine.sandbox), recordsOf(engine));
}
