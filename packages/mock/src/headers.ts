// The one step that sets an answer's headers: those its documented response names, with the
// example named like the body's, `Allow` from the document, and the rate limiter's count.
import type { Answer, Reply, RequestContext } from "./context.js";
import { allowFor, documentedBy, headerExamples, responseFor } from "./routes.js";

const rateLimitLimit = "x-ratelimit-limit";
const rateLimitRemaining = "x-ratelimit-remaining";

/** The limit `rateLimit: true` means: the contract's documented one. */
export const documentedRateLimit = Number(headerExamples.get(rateLimitLimit) ?? 10);

export function decorated(context: RequestContext, reply: Reply): Answer {
  const operation = documentedBy(context.route);
  const response = operation && responseFor(operation, reply.status);
  const documented = response?.headers ?? context.document.headersOfEveryAnswer;
  // The responder's own values first (Prism's `deprecation`, its generated values when dynamic).
  const headers: Record<string, string> = { ...reply.headers };
  for (const header of documented) {
    const name = header.name.toLowerCase();
    const named = header.examples.find((example) => example.name === reply.example);
    const value =
      name === "allow"
        ? allowFor(context.document.operations, context.path)
        : named === undefined
          ? (headers[name] ?? headerExamples.get(name))
          : String(named.value);
    if (value !== undefined) headers[name] = value;
  }
  if (context.rate !== undefined) {
    headers[rateLimitLimit] = String(context.rate.limit);
    headers[rateLimitRemaining] = String(context.rate.remaining);
  }
  return { status: reply.status, headers, body: reply.body, raw: reply.raw };
}
