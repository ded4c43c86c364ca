import {
  Agent,
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from "node:http";

/**
 * A thin HTTP adapter in front of Prism. Everything Prism answers from the contract (it always
 * carries the contract's required `x-ratelimit-*` headers) streams through untouched. Prism's OWN
 * errors, which it makes up outside the contract, are reshaped to what the contract documents:
 *
 * - malformed JSON: Prism answers 400 with `{"error":{"code":"invalid_json",...}}`, which is not
 *   the contract's `Error` (`{ message }` is required) and lacks the rate-limit headers;
 * - a wrong method: Prism answers 405 with an `application/problem+json` body, where the contract
 *   documents a 405 without a body;
 * - an unknown path: Prism answers 404 `application/problem+json`;
 * - an invalid body: Prism's 400 always carries the first 400 example, so its message is replaced
 *   by the fault Prism found (see requestViolationMessage).
 *
 * The status is always kept; only the body and headers are brought into the contract's form.
 * See README.md ("What Prism gets wrong") and test/prism-findings.test.ts.
 */
export interface RateLimitHeaders {
  limit: string;
  remaining: string;
}

const hopByHopHeaders = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
]);

function endToEndHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const kept: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!hopByHopHeaders.has(name)) kept[name] = value;
  }
  return kept;
}

/** What Prism said, in words, from whichever of its own error shapes it used. */
function prismErrorMessage(rawBody: string, status: number): string {
  try {
    const parsed: unknown = JSON.parse(rawBody);
    if (typeof parsed === "object" && parsed !== null) {
      const problem = parsed as {
        detail?: unknown;
        title?: unknown;
        error?: { message?: unknown };
      };
      const text = problem.error?.message ?? problem.detail ?? problem.title;
      if (typeof text === "string" && text.length > 0) {
        return status === 400 ? `Invalid request body: ${text}.` : text;
      }
    }
  } catch {
    // Not JSON: fall through to the status text.
  }
  return `Request failed with status ${status}.`;
}

function isContractResponse(upstream: IncomingMessage): boolean {
  return upstream.headers["x-ratelimit-limit"] !== undefined;
}

interface Violation {
  code: string | number;
  message: string;
}

/**
 * Prism answers every invalid body with the contract's first 400 example ("name is required."),
 * whatever the fault. The fault itself is in its `sl-violations` header: name it in the message,
 * skipping the `oneOf` summaries that only repeat the branch failures.
 */
function requestViolationMessage(upstream: IncomingMessage): string | undefined {
  const header = upstream.headers["sl-violations"];
  if (upstream.statusCode !== 400 || typeof header !== "string") return undefined;
  let violations: Violation[];
  try {
    violations = JSON.parse(header) as Violation[];
  } catch {
    return undefined;
  }
  // Across oneOf branches the same fault shows up as several: an unknown or missing field says
  // most, a `const` mismatch (the wrong branch's tag) least.
  const rank = (code: Violation["code"]) =>
    ({ additionalProperties: 0, required: 1, const: 3 })[String(code)] ?? 2;
  const faults = [
    ...new Set(
      violations
        .filter((v) => v.code !== "oneOf")
        .sort((a, b) => rank(a.code) - rank(b.code))
        .map((v) => v.message),
    ),
  ];
  if (faults.length === 0) return undefined;
  const more =
    faults.length > 1 ? ` (and ${faults.length - 1} more in the sl-violations header)` : "";
  return `Invalid request body: ${faults[0]}${more}.`;
}

function answerInContractForm(
  upstream: IncomingMessage,
  rawBody: string,
  res: ServerResponse,
  rateLimit: RateLimitHeaders,
): void {
  const status = upstream.statusCode ?? 500;
  const headers: Record<string, string> = {
    "x-ratelimit-limit": rateLimit.limit,
    "x-ratelimit-remaining": rateLimit.remaining,
  };
  if (status === 405) {
    res.writeHead(status, { ...headers, "content-length": "0" }).end();
    return;
  }
  const body = JSON.stringify({ message: prismErrorMessage(rawBody, status) });
  res
    .writeHead(status, {
      ...headers,
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(body)),
    })
    .end(body);
}

export function createContractAdapter(
  prismPort: number,
  rateLimit: RateLimitHeaders,
): { server: Server; agent: Agent } {
  // Keep-alive to Prism so the extra hop costs a write, not a TCP handshake.
  const agent = new Agent({ keepAlive: true });
  const server = createServer((req, res) => {
    const upstreamRequest = request(
      {
        host: "127.0.0.1",
        port: prismPort,
        method: req.method,
        path: req.url,
        headers: endToEndHeaders(req.headers),
        agent,
      },
      (upstream) => {
        const violationMessage = requestViolationMessage(upstream);
        if (violationMessage !== undefined) {
          upstream.resume();
          const body = JSON.stringify({ message: violationMessage });
          const { "content-length": _, ...headers } = endToEndHeaders(upstream.headers);
          res.writeHead(400, { ...headers, "content-length": String(Buffer.byteLength(body)) });
          res.end(body);
          return;
        }
        if (isContractResponse(upstream)) {
          res.writeHead(upstream.statusCode ?? 500, endToEndHeaders(upstream.headers));
          upstream.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        upstream.on("data", (chunk: Buffer) => chunks.push(chunk));
        upstream.on("end", () =>
          answerInContractForm(upstream, Buffer.concat(chunks).toString("utf8"), res, rateLimit),
        );
      },
    );
    upstreamRequest.on("error", (error) => {
      if (res.headersSent) {
        res.destroy(error);
        return;
      }
      res
        .writeHead(502, { "content-type": "application/json" })
        .end(JSON.stringify({ message: `The Prism mock did not answer: ${error.message}` }));
    });
    req.pipe(upstreamRequest);
  });
  return { server, agent };
}
