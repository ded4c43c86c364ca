// Who may open the inspector and read across keys. A mock on a loopback address answers this
// machine alone; on a network address it answers only those who send the token the user set. An
// in-process mock (createMockFetch, the MSW handlers) answers its own process, whose code holds
// every key's controls already.
import { createHash, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import type { RequestContext } from "../context.js";

/** Where requests can come from: this process, this machine, or a network. */
export type Reach = "process" | "loopback" | "network";

export interface InspectorAccess {
  /** Read for each request: a server knows its address once it listens. */
  reach(): Reach;
  /** The token the user set, which opens the inspector from anywhere. */
  token?: string | undefined;
}

/** The header, or else the query parameter (an EventSource sends no headers), that carries it. */
export const tokenHeader = "x-inspector-token";
export const tokenParameter = "token";

/** The shortest token the mock takes: anything shorter is guessed too easily. */
export const minimumTokenLength = 16;

/** An address of this machine alone: 127.0.0.0/8, ::1, or either mapped into IPv6. */
export function isLoopbackAddress(address: string): boolean {
  const bare = address.replace(/^\[(.*)\]$/, "$1").replace(/^::ffff:/i, "");
  if (isIP(bare) === 4) return bare.startsWith("127.");
  return isIP(bare) === 6 && /^(0*:)*:?0*1$/.test(bare);
}

/**
 * Whether the Host header names this machine. A page on another site whose name was made to
 * resolve to 127.0.0.1 (DNS rebinding) sends its own name, and is refused.
 */
function namesLoopback(host: string | null): boolean {
  if (host === null) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
  return hostname === "localhost" || hostname.endsWith(".localhost") || isLoopbackAddress(hostname);
}

/** Compared in constant time, as digests of the same length. */
function sameToken(given: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Why the request may not see the inspector (its 403 says so); `undefined` when it may. */
export function accessRefusal(
  context: Pick<RequestContext, "request" | "url">,
  access: InspectorAccess,
): string | undefined {
  const given =
    context.request.headers.get(tokenHeader) ?? context.url.searchParams.get(tokenParameter);
  if (given !== null) {
    if (access.token !== undefined && sameToken(given, access.token)) return undefined;
    return "The inspector token is not the one this mock was given.";
  }
  const reach = access.reach();
  if (reach === "process") return undefined;
  const host = context.request.headers.get("host");
  if (reach === "loopback") {
    if (namesLoopback(host)) return undefined;
    return `The inspector answers on a loopback address only to a Host that names it (127.0.0.1, localhost), not '${host ?? ""}'.`;
  }
  const how =
    access.token === undefined
      ? "start it with --inspector-token (MOCK_INSPECTOR_TOKEN) and send that token"
      : "send its token";
  return `This mock listens on a network address, so its inspector needs a token: ${how} as ?${tokenParameter}= or the X-Inspector-Token header.`;
}
