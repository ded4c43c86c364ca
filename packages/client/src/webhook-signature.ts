// Standard Webhooks signing, on Web Crypto alone (`globalThis.crypto.subtle`), so that it runs
// unchanged on Node 20+, Bun, Deno and edge runtimes: HMAC-SHA256 over `id.timestamp.body`, keyed
// with the base64 text after the secret's `whsec_` prefix, sent as `v1,<base64>`.

/** The three headers a signed webhook carries, by their lower-case names. */
export const WEBHOOK_ID = "webhook-id";
export const WEBHOOK_TIMESTAMP = "webhook-timestamp";
export const WEBHOOK_SIGNATURE = "webhook-signature";

const SECRET_PREFIX = "whsec_";
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** An HMAC-SHA256 is 32 bytes: a `v1,` entry of any other length cannot match and is not tried. */
const SIGNATURE_BYTES = 32;

const encoder = new TextEncoder();

/**
 * Imported keys by secret, so that a handler verifying event after event imports its key once.
 * Bounded: a process that verifies for many endpoints keeps only the most recent ones.
 */
const keys = new Map<string, Promise<CryptoKey>>();
const MAX_CACHED_KEYS = 8;

/**
 * The HMAC key of a secret, with or without its `whsec_` prefix. A secret that is missing, empty
 * or not base64 is the caller's configuration, not the sender's fault: a `TypeError` that says so.
 */
export function signingKey(secret: unknown): Promise<CryptoKey> {
  if (typeof secret !== "string" || secret === "") {
    throw new TypeError(
      "The webhook secret is missing: pass the endpoint's signing secret (whsec_...) as a string.",
    );
  }
  const cached = keys.get(secret);
  if (cached) return cached;
  const key = globalThis.crypto.subtle.importKey(
    "raw",
    secretBytes(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
  if (keys.size >= MAX_CACHED_KEYS) keys.delete(keys.keys().next().value as string);
  keys.set(secret, key);
  return key;
}

function secretBytes(secret: string): Uint8Array<ArrayBuffer> {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const bytes = BASE64.test(encoded) ? fromBase64(encoded) : undefined;
  if (!bytes || bytes.length === 0) {
    throw new TypeError(
      `The webhook secret is not valid: after its optional ${SECRET_PREFIX} prefix it must be base64 text (A-Z, a-z, 0-9, +, /, = padding), with nothing around it.`,
    );
  }
  return bytes;
}

/** The bytes a signature covers: `id.timestamp.` then the body exactly as received. */
export function signedContent(
  id: string,
  timestamp: string,
  body: Uint8Array,
): Uint8Array<ArrayBuffer> {
  const prefix = encoder.encode(`${id}.${timestamp}.`);
  const content = new Uint8Array(prefix.length + body.length);
  content.set(prefix);
  content.set(body, prefix.length);
  return content;
}

/** The `v1,<base64>` signature of `content`. */
export async function sign(key: CryptoKey, content: Uint8Array<ArrayBuffer>): Promise<string> {
  const mac = new Uint8Array(await globalThis.crypto.subtle.sign("HMAC", key, content));
  return `v1,${btoa(String.fromCharCode(...mac))}`;
}

/**
 * The signatures of a `webhook-signature` header that could match: its space-separated `v1,`
 * entries whose base64 decodes to 32 bytes. Any other entry (another version, a truncated or
 * garbled one) is ignored, as Standard Webhooks says. A trailing comma is dropped, which is how
 * `Headers` joins a header sent twice.
 */
export function v1Signatures(header: string): Uint8Array<ArrayBuffer>[] {
  const found: Uint8Array<ArrayBuffer>[] = [];
  for (const entry of header.split(/\s+/)) {
    const [version, encoded] = entry.replace(/,$/, "").split(",");
    if (version !== "v1" || encoded === undefined || !BASE64.test(encoded)) continue;
    const bytes = fromBase64(encoded);
    if (bytes?.length === SIGNATURE_BYTES) found.push(bytes);
  }
  return found;
}

/** Whether any of `signatures` is the MAC of `content`, each compared by Web Crypto in constant time. */
export async function anyMatches(
  key: CryptoKey,
  signatures: readonly Uint8Array<ArrayBuffer>[],
  content: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  for (const signature of signatures) {
    if (await globalThis.crypto.subtle.verify("HMAC", key, signature, content)) return true;
  }
  return false;
}

function fromBase64(encoded: string): Uint8Array<ArrayBuffer> | undefined {
  try {
    return Uint8Array.from(atob(encoded), (char) => char.charCodeAt(0));
  } catch {
    return undefined; // atob refuses a length no base64 text has
  }
}
